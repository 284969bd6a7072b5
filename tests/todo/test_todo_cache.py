"""The to-do kept under the change stamps of what it is read from (``todo.service``,
``luoshi.stamps``): answered from memory, or as 304, while nothing on the loop changes, and
never stale after a write, whoever makes it."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import find_tables

from luoshi import stamps
from luoshi.db import make_engine
from luoshi.deadlines.calendar import local_today
from luoshi.demo.load import load_org
from luoshi.security import CurrentUser
from luoshi.tasks import service as tasks_service
from luoshi.tasks.schemas import TaskCreate
from luoshi.todo.registry import PROVIDERS
from luoshi.users.models import User
from tests.todo.test_todo import _everything_waits

TODO = "/api/v1/todo"


def _stamps(connection) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    return tuple(connection.execute(select(stamps.loop_stamp(), stamps.stamp_of(stamps.UNITS))).one())


@pytest.mark.parametrize("table", stamps.LOOP_TABLES)
def test_a_write_to_any_table_of_the_loop_moves_its_stamp(act_as, make_task, unit_ids, user_ids, connection, table):
    """Each write below is a transaction of its own (a savepoint in the test's transaction)."""
    _everything_waits(act_as, make_task, unit_ids, user_ids)
    loop, units = _stamps(connection)
    with connection.begin_nested():
        assert connection.exec_driver_sql(
            f"UPDATE {table} SET id = id WHERE id = (SELECT max(id) FROM {table})").rowcount == 1
    assert _stamps(connection) == (loop + 1, units)
    with connection.begin_nested():
        connection.exec_driver_sql(f"UPDATE {table} SET id = id WHERE id < 0")  # writes no row
    assert _stamps(connection) == (loop + 1, units)
    with connection.begin_nested():
        connection.exec_driver_sql("UPDATE units SET id = id WHERE id = (SELECT min(id) FROM units)")
    assert _stamps(connection) == (loop + 1, units + 1)


def test_a_transaction_moves_the_loop_once_on_postgresql(act_as, make_task, unit_ids, user_ids, connection):
    """However many statements it runs: bumping the same row again and again in one transaction
    made PostgreSQL walk ever longer chains of its versions (a bulk load took minutes). (Inside
    a savepoint it is bumped at every statement: PostgreSQL names only the outer transaction
    to its trigger.) SQLite, whose triggers run for each row, bumps it for each."""
    _everything_waits(act_as, make_task, unit_ids, user_ids)
    loop, _ = _stamps(connection)
    for table in stamps.LOOP_TABLES:  # in the test's own transaction, not a savepoint of it
        connection.exec_driver_sql(f"UPDATE {table} SET id = id")
    rows = sum(connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one() for table in stamps.LOOP_TABLES)
    assert rows > len(stamps.LOOP_TABLES)
    assert _stamps(connection)[0] == loop + (1 if connection.dialect.name == "postgresql" else rows)


def test_the_todo_reads_only_tables_its_stamps_cover(org):
    """Every table any caller's to-do statement reads bumps the loop's stamp or the units'. A
    provider that starts reading another table fails here until that table bumps one."""
    read: set[str] = set()
    for user in org.execute(select(User)).scalars():
        current = CurrentUser.of(user)
        for provider in PROVIDERS:
            for part in provider(org, current):
                read |= {table.name for table in find_tables(part.select, include_joins=True)}
    assert set(stamps.LOOP_TABLES) <= read <= {*stamps.LOOP_TABLES, "units"}


def test_an_unchanged_todo_is_answered_from_memory_and_as_304(
        act_as, make_task, unit_ids, user_ids, count_queries):
    _everything_waits(act_as, make_task, unit_ids, user_ids)
    sup = act_as("supervisor")
    first = sup.get(TODO)
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert tag.startswith('W/"') and first.headers["cache-control"] == "private, no-cache"

    with count_queries() as auth:
        assert sup.get("/api/v1/auth/me").status_code == 200
    with count_queries() as again:
        second = sup.get(TODO)
    assert second.json() == first.json() and second.headers["etag"] == tag
    # The stamps are read with the caller, in one statement: nothing more than /auth/me.
    assert again.count == auth.count == 1

    unchanged = sup.get(TODO, headers={"If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["etag"] == tag
    assert sup.get(TODO, headers={"If-None-Match": 'W/"something-else"'}).status_code == 200
    # Each caller and each limit has a tag of its own.
    assert act_as("zjj_liaison").get(TODO, headers={"If-None-Match": tag}).status_code == 200
    assert sup.get(TODO, params={"limit": 5}, headers={"If-None-Match": tag}).status_code == 200

    # A move on the loop: a new tag, and the answer shows the move.
    approve = next(g for g in first.json()["groups"] if g["kind"] == "approve")
    task_id = next(i["task_id"] for i in approve["items"] if i["ref_type"] == "task")
    sup.act(task_id, "approve")
    moved = sup.get(TODO, headers={"If-None-Match": tag})
    assert moved.status_code == 200 and moved.headers["etag"] != tag
    assert next(g for g in moved.json()["groups"] if g["kind"] == "approve")["count"] == approve["count"] - 1


def test_a_write_outside_the_app_is_seen_at_once(act_as, make_task, unit_ids, user_ids, connection):
    """The stamps are bumped by triggers, so hand-written SQL (an import, a fix by an operator)
    shows on the next to-do like a move made through the API."""
    _everything_waits(act_as, make_task, unit_ids, user_ids)
    zjj = act_as("zjj_liaison")

    def titles() -> set[str]:
        return {i["title"] for g in zjj.get(TODO).json()["groups"] for i in g["items"]}

    assert "待签事项" in titles()
    with connection.begin_nested():  # a transaction of its own, as an operator's would be
        connection.execute(text("UPDATE tasks SET title = '待签事项（已更名）' WHERE title = '待签事项'"))
    assert "待签事项（已更名）" in titles() and "待签事项" not in titles()
    with connection.begin_nested():
        connection.execute(text("DELETE FROM instructions"))
    respond = next(g for g in zjj.get(TODO).json()["groups"] if g["kind"] == "respond")
    assert [i["ref_type"] for i in respond["items"]] == ["supervision_action"]


def test_names_are_read_again_only_after_a_unit_changes(act_as, make_task, unit_ids, user_ids, count_queries):
    """The items name their units from ``org.names``, kept under the units' stamp: a process
    reads the names once, and again after a unit changes, when every caller's to-do is read
    again too."""
    _everything_waits(act_as, make_task, unit_ids, user_ids)

    def statements(username: str) -> int:
        caller = act_as(username)
        with count_queries() as auth:
            assert caller.get("/api/v1/auth/me").status_code == 200
        with count_queries() as todo:
            assert caller.get(TODO).status_code == 200
        return todo.count - auth.count

    def names(username: str) -> set[tuple[str, str]]:
        body = act_as(username).get(TODO).json()
        return {(i["ref_type"], i["unit_name"]) for g in body["groups"] for i in g["items"]}

    # Beyond the caller and the stamps (one statement): the to-do's one statement and, the first
    # time in this process, the names; nothing when it has not changed since.
    assert statements("zjj_liaison") == 2
    for username, count in (("fgw_liaison", 1), ("supervisor", 1), ("zjj_liaison", 0), ("supervisor", 0)):
        assert statements(username) == count, username
    assert statements("auditor") == 0
    assert ("dispute", "市发改委") in names("supervisor")

    renamed = act_as("admin").patch(f"/api/v1/units/{unit_ids['WH-FGW']}", {"short_name": "发改委"})
    assert renamed.status_code == 200, renamed.text
    assert statements("supervisor") == 2  # the units' stamp moved: the names are read again ...
    assert ("dispute", "发改委") in names("supervisor") and ("dispute", "市发改委") not in names("supervisor")
    assert ("report", "发改委") in names("zjj_liaison")  # ... once, for every caller
    assert statements("zjj_liaison") == 0


def test_a_new_day_gives_a_new_tag_and_new_deadline_states(act_as, make_task, client, as_user, clock):
    """Deadline states follow the day, which is part of the tag."""
    lead = act_as("zjj_liaison")
    task = make_task(lead="WH-ZJJ", days=3, title="三日内签收")
    act_as("supervisor").act(task["id"], "issue")
    today = lead.get(TODO)
    (item,) = today.json()["groups"][0]["items"]
    assert item["deadline_state"] != "overdue"

    clock.advance(days=10)
    headers = as_user("zjj_liaison")  # a token of the new day
    later = client.get(TODO, headers={**headers, "If-None-Match": today.headers["etag"]})
    assert later.status_code == 200 and later.headers["etag"] != today.headers["etag"]
    (item,) = later.json()["groups"][0]["items"]
    assert item["deadline_state"] == "overdue"


def test_writers_of_the_loop_do_not_wait_for_each_other(pg_database):
    """On PostgreSQL each server process bumps a row of its own: two transactions writing the
    loop at once (two trees, so no other row is shared) neither wait nor deadlock, and the
    loop's stamp counts both once they commit."""
    engine = make_engine(pg_database)
    try:
        with Session(engine) as session:
            load_org(session)
            session.flush()
            user = session.execute(select(User).where(User.username == "supervisor")).scalar_one()
            lead = session.execute(select(User.unit_id).where(User.username == "fgw_liaison")).scalar_one()
            deadline = local_today() + timedelta(days=90)
            ids = [tasks_service.create_task(session, CurrentUser.of(user), TaskCreate(
                title=f"并行写入{i}", lead_unit_id=lead, deadline=deadline)).id for i in (1, 2)]
            session.commit()
        with engine.connect() as probe:
            before = probe.execute(select(stamps.loop_stamp())).scalar_one()
        with engine.connect() as first, engine.connect() as second:
            first.execute(text("UPDATE tasks SET progress = 10 WHERE id = :id"), {"id": ids[0]})
            # ``first`` holds its transaction open; ``second`` would fail here if it had to wait.
            second.execute(text("SET lock_timeout = '2s'"))
            second.execute(text("UPDATE tasks SET progress = 20 WHERE id = :id"), {"id": ids[1]})
            second.commit()
            first.commit()
        with engine.connect() as probe:
            assert probe.execute(select(stamps.loop_stamp())).scalar_one() == before + 2
            assert probe.execute(text("SELECT count(*) FROM loop_stamps")).scalar_one() >= 2
    finally:
        engine.dispose()


def test_the_rows_of_ended_processes_are_folded_into_one(org):
    """A scheduled job folds the loop rows of PostgreSQL server processes that have ended into
    row 0, keeping the loop's stamp; a running process keeps its row. SQLite has one row."""
    from luoshi.jobs import JOBS

    assert JOBS["db.loop_stamps"] is stamps.fold_loop
    if org.get_bind().dialect.name != "postgresql":
        assert stamps.fold_loop(org) == {}
        return
    mine = org.execute(text("SELECT pg_backend_pid()")).scalar_one()
    org.execute(text("DELETE FROM loop_stamps"))
    org.execute(text("INSERT INTO loop_stamps (writer, stamp) VALUES (0, 5), (:mine, 7), (-1, 11), (-2, 13)"),
                {"mine": mine})
    before = org.execute(select(stamps.loop_stamp())).scalar_one()
    assert stamps.fold_loop(org) == {"folded": 2}
    assert org.execute(select(stamps.loop_stamp())).scalar_one() == before == 36
    rows = dict(org.execute(text("SELECT writer, stamp FROM loop_stamps")).all())
    assert rows == {0: 29, mine: 7}
    assert stamps.fold_loop(org) == {}  # nothing more to fold


def test_the_todo_comes_gzipped_to_clients_that_accept_it(act_as, make_task, unit_ids, user_ids):
    _everything_waits(act_as, make_task, unit_ids, user_ids)
    sup = act_as("supervisor")
    plain = sup.get(TODO, params={"limit": 100}, headers={"Accept-Encoding": "identity"})
    packed = sup.get(TODO, params={"limit": 100}, headers={"Accept-Encoding": "gzip, deflate"})
    assert "content-encoding" not in plain.headers and len(plain.content) >= 1024
    assert packed.headers["content-encoding"] == "gzip" and packed.headers["vary"] == "Accept-Encoding"
    assert packed.json() == plain.json()  # the client decompresses it
    assert int(packed.headers["content-length"]) < len(plain.content)
    assert packed.headers["etag"] == plain.headers["etag"]  # one answer, two encodings
    # A short answer goes as it is.
    small = act_as("auditor").get(TODO, headers={"Accept-Encoding": "gzip"})
    assert small.status_code == 200 and "content-encoding" not in small.headers
