"""PostgreSQL pool: a connection is pinged before use only after sitting idle, and one the
server closed while idle is replaced without the caller seeing an error."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

import luoshi.db as dbmod
from luoshi.db import make_engine
from tests.conftest import PG_ADMIN_URL, pg_unreachable


@pytest.fixture
def pings() -> list[object]:
    """The connections the pool pinged, in order."""
    return []


@pytest.fixture
def pg_engine(pings: list[object], monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """A pool of PostgreSQL connections (SQLite opens a file: nothing to ping)."""
    engine = make_engine(PG_ADMIN_URL)
    try:
        engine.connect().close()
    except DBAPIError as error:
        pg_unreachable(error)
    real_ping = engine.dialect.do_ping

    def counting_ping(dbapi_conn: object) -> bool:
        pings.append(dbapi_conn)
        return real_ping(dbapi_conn)

    monkeypatch.setattr(engine.dialect, "do_ping", counting_ping)
    yield engine
    engine.dispose()


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(pid: int) -> None:
    killer = make_engine(PG_ADMIN_URL)
    with killer.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    killer.dispose()


def test_a_connection_back_from_use_a_moment_ago_is_not_pinged(pg_engine: Engine, pings: list[object]) -> None:
    first = _backend_pid(pg_engine)
    for _ in range(5):
        assert _backend_pid(pg_engine) == first
    assert pings == []


def test_an_idle_connection_is_pinged_once_before_use(
    pg_engine: Engine, pings: list[object], monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = _backend_pid(pg_engine)
    monkeypatch.setattr(dbmod, "PING_AFTER_IDLE_SECONDS", 0.0)
    assert _backend_pid(pg_engine) == first
    assert len(pings) == 1


def test_an_idle_connection_the_server_closed_is_replaced_unseen(
    pg_engine: Engine, pings: list[object], monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = _backend_pid(pg_engine)
    _terminate(first)
    monkeypatch.setattr(dbmod, "PING_AFTER_IDLE_SECONDS", 0.0)
    second = _backend_pid(pg_engine)  # no error: the ping found it closed and the pool reconnected
    assert second != first
    assert len(pings) == 1


def test_a_busy_connection_the_server_closed_fails_once_then_the_pool_recovers(
    pg_engine: Engine, pings: list[object],
) -> None:
    first = _backend_pid(pg_engine)
    _terminate(first)
    with pytest.raises(DBAPIError) as failed:
        _backend_pid(pg_engine)
    assert failed.value.connection_invalidated
    assert _backend_pid(pg_engine) not in (first, None)
    assert pings == []
