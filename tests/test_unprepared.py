"""PostgreSQL: a statement marked ``db.UNPREPARED`` is never prepared, however often it runs,
so PostgreSQL plans it for its own values each time and keeps no plan for it; any other
statement is prepared after psycopg's fifth run, as before."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from luoshi.db import UNPREPARED, make_engine
from tests.conftest import PG_ADMIN_URL, pg_unreachable


@pytest.fixture
def pg() -> Iterator[Connection]:
    engine = make_engine(PG_ADMIN_URL)
    try:
        conn = engine.connect()
    except DBAPIError as error:
        pg_unreachable(error)
    try:
        yield conn
    finally:
        conn.close()
        engine.dispose()


def _prepared(conn: Connection) -> list[str]:
    return list(conn.execute(text("SELECT statement FROM pg_prepared_statements")).scalars())


def test_a_marked_statement_is_never_prepared(pg: Connection) -> None:
    marked = text("SELECT 'marked', count(*) FROM pg_class WHERE relkind = 'r'").execution_options(**UNPREPARED)
    plain = text("SELECT 'plain', count(*) FROM pg_class WHERE relkind = 'r'")
    for _ in range(10):
        assert pg.execute(marked).one()[0] == "marked"
        assert pg.execute(plain).one()[0] == "plain"
    prepared = _prepared(pg)
    assert any("'plain'" in statement for statement in prepared)
    assert not any("'marked'" in statement for statement in prepared)
