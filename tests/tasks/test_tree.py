"""The tree: one request for the whole subtree, roll-ups per node, ETag / If-None-Match, scope."""

import os
import subprocess
import sys
import time
from datetime import timedelta

from sqlalchemy import insert, select, update

from luoshi.clock import utcnow
from luoshi.deadlines.calendar import local_today
from luoshi.org.models import Unit
from luoshi.tasks.models import Assignment, Task
from tests.tasks.conftest import TASKS, Caller


def test_rollups_etag_and_304(act_as, make_task, clock, client, as_user):
    sup, fgw = act_as("supervisor"), act_as("fgw_liaison")
    root = make_task(lead="WH-FGW", days=100)
    sup.act(root["id"], "issue")
    fgw.act(root["id"], "sign")
    late = make_task(lead="WH-FGW", parent=root["id"], days=2, title="临期子任务")
    on_track = make_task(lead="WH-FGW", parent=root["id"], days=50, title="正常子任务", weight=3)
    for child in (late, on_track):
        sup.act(child["id"], "issue")
        fgw.act(child["id"], "sign")
    first = sup.get(f"{TASKS}/{root['id']}/tree")
    assert first.status_code == 200
    tree, tag = first.json(), first.headers["etag"]
    assert [c["title"] for c in tree["children"]] == ["临期子任务", "正常子任务"]
    assert tree["children"][0]["deadline_state"] == "due_soon"
    assert tree["rollup"] == {"open_count": 3, "overdue_count": 0, "completed_count": 0,
                              "worst_deadline_state": "due_soon", "behind_schedule_count": 0}
    assert sup.get(f"{TASKS}/{root['id']}/tree", headers={"If-None-Match": tag}).status_code == 304

    # A change anywhere below changes the tag; progress rolls up by weight (1 and 3).
    resp = fgw.patch(f"{TASKS}/{on_track['id']}", {"progress": 80},
                     headers={"If-Match": str(sup.get(f"{TASKS}/{on_track['id']}").json()["version"])})
    assert resp.status_code == 200, resp.text
    again = sup.get(f"{TASKS}/{root['id']}/tree", headers={"If-None-Match": tag})
    assert again.status_code == 200 and again.headers["etag"] != tag
    assert again.json()["progress"] == 60  # (0×1 + 80×3) / 4

    # Days later the deadline has passed: same data, new day, new tag and a red branch.
    clock.set(utcnow() + timedelta(days=5))
    sup = Caller(client, as_user("supervisor"))  # a fresh token for the new day
    later = sup.get(f"{TASKS}/{root['id']}/tree", headers={"If-None-Match": again.headers["etag"]})
    assert later.status_code == 200
    body = later.json()
    assert body["rollup"]["overdue_count"] == 1 and body["rollup"]["worst_deadline_state"] == "overdue"
    assert body["children"][0]["behind_schedule"] is True
    listed = sup.get(TASKS, params={"deadline_state": "overdue"}).json()["items"]
    assert [t["id"] for t in listed] == [late["id"]]


def test_a_unit_sees_its_branch_with_ancestors_as_context(act_as, make_task):
    sup, ja = act_as("supervisor"), act_as("jiangan_liaison")
    root = make_task(lead="WH-JA", coop=["WH-FGW"])
    sup.act(root["id"], "issue")
    ja.act(root["id"], "sign")
    street = make_task(lead="WH-JA-DZ", parent=root["id"], by="jiangan_liaison", days=30, title="街道任务")
    ja.act(street["id"], "issue")
    act_as("dazhi_liaison").act(street["id"], "sign")
    community = make_task(lead="WH-JA-DZ-SQ1", parent=street["id"], by="dazhi_liaison", days=20, title="社区任务")
    fgw_part = make_task(lead="WH-FGW", parent=root["id"], days=30, title="发改委部分")
    sup.act(fgw_part["id"], "issue")
    # The cooperating 发改委 sees the root, its own part, and nothing of the district's branch.
    tree = act_as("fgw_liaison").get(f"{TASKS}/{root['id']}/tree").json()
    assert [c["title"] for c in tree["children"]] == ["发改委部分"]
    # The street's tree starts at its own task; the community's draft is the street's to see.
    street_tree = act_as("dazhi_liaison").get(f"{TASKS}/{street['id']}/tree").json()
    assert [c["id"] for c in street_tree["children"]] == [community["id"]]
    # The district office sees the whole branch, the city office's part included only as led there.
    full = act_as("jiangan_supervisor").get(f"{TASKS}/{root['id']}/tree").json()
    assert {c["title"] for c in full["children"]} == {"街道任务"}
    assert full["children"][0]["children"][0]["context_only"] is False


def _bulk_tree(db, root_id: int, size: int, unit_ids: list[int]) -> None:
    """``size`` more nodes under ``root_id`` (ten per parent), inserted in a few statements."""
    root = db.get(Task, root_id)
    next_id = db.execute(select(Task.id).order_by(Task.id.desc()).limit(1)).scalar_one() + 1
    now, deadline = utcnow(), local_today() + timedelta(days=40)
    parents = [(root.id, root.path, root.depth)]
    rows, made = [], 0
    while made < size:
        new_parents = []
        for pid, ppath, pdepth in parents:
            for _ in range(10):
                if made >= size:
                    break
                tid = next_id + made
                path = f"{ppath}{tid}/"
                lead = unit_ids[made % len(unit_ids)]
                rows.append(dict(id=tid, parent_id=pid, root_id=root.id, path=path, depth=pdepth + 1,
                                 sort_order=0, title=f"节点{tid}", content="", source_type="other",
                                 priority="normal", tags=[], lead_unit_id=lead, issuer_unit_id=root.issuer_unit_id,
                                 deadline_date=deadline - timedelta(days=made % 45), feedback_cycle="once",
                                 feedback_dates=[], weight=1.0, progress=made % 100,
                                 status=("in_progress", "completed", "assigned")[made % 3],
                                 completed_on_time=True if made % 3 == 1 else None, return_count=0, version=1,
                                 created_at=now, updated_at=now, issued_at=now - timedelta(days=30)))
                new_parents.append((tid, path, pdepth + 1))
                made += 1
        parents = new_parents
    assignments = [dict(task_id=r["id"], unit_id=r["lead_unit_id"], capacity="lead", state="signed",
                        created_at=now, updated_at=now) for r in rows]
    # Core INSERTs with RETURNING, which SQLAlchemy sends as multi-row statements of a thousand
    # rows ("insertmanyvalues"); otherwise psycopg sends a statement per row and on PostgreSQL
    # each runs the stamp triggers again (25 s instead of 5 here).
    for table, values in ((Task.__table__, rows), (Assignment.__table__, assignments)):
        db.connection().execute(insert(table).returning(table.c.id), values)
    db.commit()


def test_ten_thousand_nodes_in_one_request(db, act_as, make_task, count_queries):
    root = make_task(lead="WH-FGW", days=100)
    act_as("supervisor").act(root["id"], "issue")
    units = [u for u in db.execute(select(Unit.id).where(Unit.kind == "department")).scalars()]
    with count_queries() as small:
        act_as("supervisor").get(f"{TASKS}/{root['id']}/tree")
    _bulk_tree(db, root["id"], 9_999, units)
    sup = act_as("supervisor")
    with count_queries() as big:
        started = time.perf_counter()
        resp = sup.get(f"{TASKS}/{root['id']}/tree")
        elapsed = time.perf_counter() - started
    repeat = []
    for _ in range(3):
        started = time.perf_counter()
        again = sup.get(f"{TASKS}/{root['id']}/tree")
        repeat.append(time.perf_counter() - started)
        assert again.status_code == 200 and len(again.content) == len(resp.content)
    assert resp.status_code == 200
    assert big.count == small.count

    def count(node) -> int:  # type: ignore[no-untyped-def]
        return 1 + sum(count(c) for c in node["children"])

    body = resp.json()
    assert count(body) == 10_000
    assert body["rollup"]["completed_count"] == 3333
    started = time.perf_counter()
    cached = sup.get(f"{TASKS}/{root['id']}/tree", headers={"If-None-Match": resp.headers["etag"]})
    cached_elapsed = time.perf_counter() - started
    assert cached.status_code == 304
    print(f"\ntree of 10,000 nodes: first {elapsed * 1000:.0f} ms, then {min(repeat) * 1000:.0f} ms, "
          f"{len(resp.content) // 1024} KiB, "
          f"{big.count} statements; 304: {cached_elapsed * 1000:.1f} ms")


def test_the_tag_follows_every_kind_of_write(act_as, make_task, db, unit_ids, count_queries):
    """The database bumps the tree's stamp, so writes that bypass the task service count too:
    a cooperating unit added, a lead unit renamed, a bulk SQL update."""
    sup = act_as("supervisor")
    root = make_task(lead="WH-FGW", days=100)
    child = make_task(lead="WH-FGW", parent=root["id"], days=50, title="子任务")
    other = make_task(lead="WH-ZJJ", days=100, title="另一棵树")
    url = f"{TASKS}/{root['id']}/tree"

    def tag() -> str:
        resp = sup.get(url)
        assert resp.status_code == 200
        return resp.headers["etag"]

    def unchanged(t: str) -> bool:
        return sup.get(url, headers={"If-None-Match": t}).status_code == 304

    first = tag()
    # Writes to another tree leave this one's tag alone.
    version = sup.get(f"{TASKS}/{other['id']}").json()["version"]
    assert sup.patch(f"{TASKS}/{other['id']}", {"title": "另一棵树（调整）"},
                     headers={"If-Match": str(version)}).status_code == 200
    assert unchanged(first)
    # A cooperating unit added to the child (task_assignments).
    version = sup.get(f"{TASKS}/{child['id']}").json()["version"]
    assert sup.patch(f"{TASKS}/{child['id']}", {"cooperating_unit_ids": [unit_ids["WH-ZJJ"]]},
                     headers={"If-Match": str(version)}).status_code == 200
    assert not unchanged(first)
    second = tag()
    # The lead unit renamed: the tree shows its name.
    db.execute(update(Unit).where(Unit.id == unit_ids["WH-FGW"]).values(short_name="发改"))
    db.flush()
    assert not unchanged(second)
    third = tag()
    assert sup.get(url).json()["lead_unit"]["short_name"] == "发改"
    # Hand-written SQL on the tasks table.
    db.execute(update(Task).where(Task.id == child["id"]).values(title="直接改库"))
    db.flush()
    assert not unchanged(third)
    assert sup.get(url).json()["children"][0]["title"] == "直接改库"
    # An unchanged tree is answered from its stamps, read in the caller's own statement.
    fourth = tag()
    with count_queries() as q:
        assert unchanged(fourth)
    assert q.count == 1, q.statements


def test_a_tag_gives_304_only_to_the_caller_it_was_sent_to(act_as, make_task, monkeypatch):
    """The 304 is answered before the task is read, so a tag must be the server's own (keyed
    by the secret) and name the caller's scope: anyone else holding it is told 404, as without."""
    from luoshi import etags
    from luoshi.settings import get_settings

    sup, outsider = act_as("supervisor"), act_as("jiangan_liaison")
    root = make_task(lead="WH-FGW", days=100)
    url = f"{TASKS}/{root['id']}/tree"
    tag = sup.get(url).headers["etag"]
    assert sup.get(url, headers={"If-None-Match": tag}).status_code == 304
    assert outsider.get(url).status_code == 404
    refused = outsider.get(url, headers={"If-None-Match": tag})
    assert refused.status_code == 404 and "etag" not in refused.headers
    assert outsider.get(f"{TASKS}/999999/tree", headers={"If-None-Match": tag}).status_code == 404
    # Under another secret the same parts make another tag.
    parts = (root["id"], "scope", "2026-11-24", 3, 1)
    ours = etags.weak(*parts)
    assert etags.weak(*parts) == ours
    monkeypatch.setattr(get_settings(), "secret_key", "another secret of at least thirty-two bytes")
    assert etags.weak(*parts) != ours


def test_the_tree_comes_gzipped_to_clients_that_accept_it(act_as, make_task):
    sup = act_as("supervisor")
    root = make_task(lead="WH-FGW", days=100)
    for i in range(3):
        make_task(lead="WH-FGW", parent=root["id"], days=50, title=f"子任务{i}")
    url = f"{TASKS}/{root['id']}/tree"
    plain = sup.get(url, headers={"Accept-Encoding": "identity"})
    packed = sup.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip" and packed.headers["vary"] == "Accept-Encoding"
    assert packed.json() == plain.json()  # the client decompresses it
    assert int(packed.headers["content-length"]) < len(plain.content)


_FINGERPRINT = """
from luoshi.permissions import Permission
from luoshi.tasks.scope import TaskScope
scope = TaskScope(user_id=7, unit_id=3, unit_path="/1/3/", reads=True, manages=True, handles=False,
                  decomposes=True, leads_all=False, leader=False, jurisdiction_root_path="/1/",
                  permissions=frozenset(Permission))
print(scope.fingerprint)
print(repr(scope.key))
"""


def test_the_scope_in_the_tag_reads_the_same_in_every_worker_process():
    """Workers hash strings differently (PYTHONHASHSEED): a tag one worker gave must be
    recognised by the next, so the scope is written into it with its sets sorted."""
    workers = [subprocess.Popen([sys.executable, "-c", _FINGERPRINT], stdout=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONHASHSEED": seed})
               for seed in ("1", "2", "3", "4")]  # side by side: each spends seconds importing
    printed = [worker.communicate(timeout=120)[0].splitlines() for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0, 0, 0]
    assert len({fingerprint for fingerprint, _ in printed}) == 1
    # The scope's key itself (a frozenset inside) prints in a different order somewhere: what
    # the fingerprint is there for.
    assert len({key for _, key in printed}) > 1
