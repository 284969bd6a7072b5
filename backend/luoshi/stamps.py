"""Change stamps: a counter per key that the database itself bumps on every write.

A task tree's ETag must change whenever anything it shows changes. Counting and summing the
10,000 rows of a tree on every request to find out costs more than answering; instead,
triggers on ``tasks`` and ``task_assignments`` bump the stamp ``tree:<root id>`` of the tree a
row belongs to, and triggers on ``units`` bump ``units`` (names and the unit tree, which decide
what a tree shows and to whom). Reading a stamp is one primary-key lookup.

The loop's stamp is bumped by a write to any table a to-do is read from (``LOOP_TABLES``):
tasks, assignments, reports, extension requests, disputes and supervision records. A to-do
kept under it, with the units' stamp and the caller's day, is never stale
(``luoshi.todo.service``). One row for the whole loop would make every writer of the city
wait for the one before it to commit, and deadlock two that lock tasks in between (each
holding a task the other wants, one of them holding the row). So each writer bumps a row of
its own in ``loop_stamps``: on PostgreSQL the row of its server process, which runs one
transaction at a time; on SQLite, which has one writer at a time anyway, a single row. The
loop's stamp is their sum. Rows are only ever added to, so the sum grows with every commit
that wrote to the loop, and a reader who sees the same sum sees the same loop. The rows of
server processes that have ended are folded into row 0 by a scheduled job (``fold_loop``),
which leaves the sum as it was, so that the rows stay as few as the processes.

Being triggers, they catch every writer: the ORM, bulk updates, the deadline worker, the demo
loader and hand-written SQL alike. Two writers of one key serialise on its stamp row until
they commit, so no commit order can leave the stamp at a value a reader has already seen with
different data.

SQLite drops a table's triggers when a migration recreates the table (batch mode), so a
migration that alters a table of ``TABLES`` must call ``install`` again;
``tests/test_migrations.py`` checks the triggers exist at head.
"""

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Integer,
    ScalarSelect,
    String,
    cast,
    column,
    delete,
    func,
    literal,
    select,
)
from sqlalchemy import table as table_clause
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from luoshi.db import Base

UNITS = "units"
TREE = "tree:"  # a tree's key is this and its root's id
# What the to-do reads besides ``units`` (tests/todo/test_todo_cache.py checks every provider's
# statement against it).
LOOP_TABLES = ("tasks", "task_assignments", "reports", "extension_requests", "disputes",
               "supervision_actions", "instructions", "coordination_requests")


def tree_key(root_id: ColumnElement[int]) -> ColumnElement[str]:
    """The key of a tree's stamp, in SQL, as the triggers write it."""
    return literal(TREE) + cast(root_id, String)


class ChangeStamp(Base):
    __tablename__ = "change_stamps"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    stamp: Mapped[int] = mapped_column(BigInteger)


class LoopStamp(Base):
    """One writer's share of the loop's stamp (see above): a PostgreSQL server process, or 0."""

    __tablename__ = "loop_stamps"

    writer: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    stamp: Mapped[int] = mapped_column(BigInteger)


def stamp_of(key: ColumnElement[str] | str) -> ScalarSelect[int]:
    """The stamp of ``key`` as a sub-query, 0 for a key never written: read in the same
    statement as what it stamps, one primary-key lookup, no round trip of its own."""
    return select(func.coalesce(func.max(ChangeStamp.stamp), 0)).where(ChangeStamp.key == key).scalar_subquery()


def loop_stamp() -> ScalarSelect[int]:
    """The loop's stamp as a sub-query: the sum of every writer's row, 0 before any write."""
    return select(cast(func.coalesce(func.sum(LoopStamp.stamp), 0), BigInteger)).scalar_subquery()


_ACTIVITY = table_clause("pg_stat_activity", column("pid", Integer))  # PostgreSQL's server processes


def fold_loop(session: Session) -> dict[str, int]:
    """Fold the loop rows of PostgreSQL server processes that have ended into row 0, in one
    transaction: the sum, and so the loop's stamp, stays as it was. (A scheduled job; SQLite
    has one row.) A process that has ended holds no lock on its row, so nothing waits; a new
    process given the same id meanwhile is waited for, and its row folded as it committed it."""
    if session.get_bind().dialect.name != "postgresql":
        return {}
    running = select(_ACTIVITY.c.pid).where(_ACTIVITY.c.pid.is_not(None))
    folded = session.execute(
        delete(LoopStamp).where(LoopStamp.writer != 0, LoopStamp.writer.not_in(running)).returning(LoopStamp.stamp)
    ).scalars().all()
    if folded:
        upsert = pg_insert(LoopStamp).values(writer=0, stamp=sum(folded))
        session.execute(upsert.on_conflict_do_update(
            index_elements=[LoopStamp.writer], set_={"stamp": LoopStamp.stamp + upsert.excluded.stamp}))
    return {"folded": len(folded)} if folded else {}


# The stamps a table's rows bump, in the order they are bumped. Each is the row to bump and
# which rows of the table bump it, with ``{row}`` standing for the written row (SQLite: NEW/OLD)
# or the statement's rows (PostgreSQL: a transition table).
@dataclass(frozen=True)
class _Bump:
    table: str  # the stamps' table
    key_column: str
    key: str  # the key, in SQL
    join: str = ""
    where: str = "true"
    again: str = "true"  # whether a stamp row already there is bumped again


_TREES = {
    "tasks": _Bump("change_stamps", "key", f"'{TREE}' || {{row}}.root_id", where="{row}.root_id IS NOT NULL"),
    "task_assignments": _Bump("change_stamps", "key", f"'{TREE}' || t.root_id",
                              "JOIN tasks t ON t.id = {row}.task_id", "t.root_id IS NOT NULL"),
}
_UNITS = _Bump("change_stamps", "key", f"'{UNITS}'")
_LOOP = {
    # Once a transaction: bumping one row again in the same transaction leaves PostgreSQL a
    # longer chain of its versions to walk at every bump, and a load of 200,000 rows one
    # statement at a time took minutes instead of seconds. The sum moves by one for each commit
    # all the same. (Inside a savepoint it is bumped at every statement: a row written there
    # bears the savepoint's id, and PostgreSQL tells a trigger only the outer transaction's.)
    "postgresql": _Bump("loop_stamps", "writer", "pg_backend_pid()",
                        again="loop_stamps.xmin <> pg_current_xact_id()::xid"),
    "sqlite": _Bump("loop_stamps", "writer", "0"),  # rows are updated in place there
}
TABLES = (*LOOP_TABLES, "units")
_EVENTS = (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))


def _bumps(table: str, dialect: str, loop: bool) -> list[_Bump]:
    """What a write to ``table`` bumps; without ``loop``, as migrations 0006 to 0011 had it."""
    if table == "units":
        return [_UNITS]
    return ([_LOOP[dialect]] if loop else []) + ([_TREES[table]] if table in _TREES else [])


def _name(table: str, event: str) -> str:
    return f"trg_{table}_stamp_{event.lower()}"


def _upsert(bump: _Bump, row: str, rows_from: str) -> str:
    key, join, where = (part.format(row=row) for part in (bump.key, bump.join, bump.where))
    return (f"INSERT INTO {bump.table} ({bump.key_column}, stamp) SELECT DISTINCT {key}, 1 FROM {rows_from} {join} "
            f"WHERE {where} ON CONFLICT ({bump.key_column}) DO UPDATE SET stamp = {bump.table}.stamp + 1 "
            f"WHERE {bump.again}")


def install(conn: Connection, loop: bool = True) -> None:
    """Create (or re-create) the stamp triggers for this connection's dialect; ``loop=False``
    leaves out the loop's stamp (migration 0012 added it)."""
    uninstall(conn)
    for table in TABLES:
        bumps = _bumps(table, conn.dialect.name, loop)
        if not bumps:
            continue
        for event, which in _EVENTS:
            name = _name(table, event)
            if conn.dialect.name == "postgresql":
                # Once per statement, over the transition table: a bulk write of 100,000 rows
                # bumps each stamp once, and a statement that wrote no row bumps none.
                rows = "new_rows" if which == "NEW" else "old_rows"
                body = "".join(f"{_upsert(bump, 'r', f'{rows} r')}; " for bump in bumps)
                conn.exec_driver_sql(
                    f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    f"{body}RETURN NULL; END $$")
                conn.exec_driver_sql(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                    f"REFERENCING {which} TABLE AS {rows} FOR EACH STATEMENT EXECUTE FUNCTION {name}()")
            else:  # SQLite has row triggers only
                body = "".join(f"{_upsert(bump, which, '(SELECT 1) AS one')}; " for bump in bumps)
                conn.exec_driver_sql(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN {body}END")


def uninstall(conn: Connection) -> None:
    for table in TABLES:
        for event, _ in _EVENTS:
            name = _name(table, event)
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def trigger_names() -> set[str]:
    return {_name(table, event) for table in TABLES for event, _ in _EVENTS}
