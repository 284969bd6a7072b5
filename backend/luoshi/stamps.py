"""Change stamps: a counter per key that the database itself bumps on every write.

A task tree's ETag must change whenever anything it shows changes. Counting and summing the
10,000 rows of a tree on every request to find out costs more than answering; instead,
triggers on ``tasks`` and ``task_assignments`` bump the stamp ``tree:<root id>`` of the tree a
row belongs to, and triggers on ``units`` bump ``units`` (names and the unit tree, which decide
what a tree shows and to whom). Reading a stamp is one primary-key lookup.

Being triggers, they catch every writer: the ORM, bulk updates, the deadline worker, the demo
loader and hand-written SQL alike. Two writers of one tree serialise on its stamp row until
they commit, so no commit order can leave the stamp at a value a reader has already seen with
different data.

SQLite drops a table's triggers when a migration recreates the table (batch mode), so a
migration that alters ``tasks``, ``task_assignments`` or ``units`` must call ``install`` again;
``tests/test_migrations.py`` checks the triggers exist at head.
"""

from sqlalchemy import BigInteger, ColumnElement, Connection, ScalarSelect, String, cast, func, literal, select
from sqlalchemy.orm import Mapped, mapped_column

from luoshi.db import Base

UNITS = "units"
TREE = "tree:"  # a tree's key is this and its root's id


def tree_key(root_id: ColumnElement[int]) -> ColumnElement[str]:
    """The key of a tree's stamp, in SQL, as the triggers write it."""
    return literal(TREE) + cast(root_id, String)


class ChangeStamp(Base):
    __tablename__ = "change_stamps"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    stamp: Mapped[int] = mapped_column(BigInteger)


def stamp_of(key: ColumnElement[str] | str) -> ScalarSelect[int]:
    """The stamp of ``key`` as a sub-query, 0 for a key never written: read in the same
    statement as what it stamps, one primary-key lookup, no round trip of its own."""
    return select(func.coalesce(func.max(ChangeStamp.stamp), 0)).where(ChangeStamp.key == key).scalar_subquery()


# For each table: the key its rows bump and where that key comes from, with ``{row}`` standing
# for the written row (SQLite: NEW/OLD) or the statement's rows (PostgreSQL: a transition table).
_SOURCES = {
    "tasks": (f"'{TREE}' || {{row}}.root_id", "", "{row}.root_id IS NOT NULL"),
    "task_assignments": (f"'{TREE}' || t.root_id", "JOIN tasks t ON t.id = {row}.task_id", "t.root_id IS NOT NULL"),
    "units": (f"'{UNITS}'", "", "true"),
}
_EVENTS = (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))


def _name(table: str, event: str) -> str:
    return f"trg_{table}_stamp_{event.lower()}"


def _upsert(table: str, row: str, rows_from: str) -> str:
    key, join, where = (part.format(row=row) for part in _SOURCES[table])
    return (f"INSERT INTO change_stamps (key, stamp) SELECT DISTINCT {key}, 1 FROM {rows_from} {join} "
            f"WHERE {where} ON CONFLICT (key) DO UPDATE SET stamp = change_stamps.stamp + 1")


def install(conn: Connection) -> None:
    """Create (or re-create) the stamp triggers for this connection's dialect."""
    uninstall(conn)
    for table in _SOURCES:
        for event, which in _EVENTS:
            name = _name(table, event)
            if conn.dialect.name == "postgresql":
                # Once per statement, over the transition table: a bulk write of 100,000 rows
                # bumps each stamp once.
                rows = "new_rows" if which == "NEW" else "old_rows"
                conn.exec_driver_sql(
                    f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    f"{_upsert(table, 'r', f'{rows} r')}; RETURN NULL; END $$")
                conn.exec_driver_sql(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                    f"REFERENCING {which} TABLE AS {rows} FOR EACH STATEMENT EXECUTE FUNCTION {name}()")
            else:  # SQLite has row triggers only
                conn.exec_driver_sql(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN "
                    f"{_upsert(table, which, '(SELECT 1) AS one')}; END")


def uninstall(conn: Connection) -> None:
    for table in _SOURCES:
        for event, _ in _EVENTS:
            name = _name(table, event)
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def trigger_names() -> set[str]:
    return {_name(table, event) for table in _SOURCES for event, _ in _EVENTS}
