"""Engine, declarative base and the per-request session (one transaction per request)."""

import time
from collections import namedtuple
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import anyio
from anyio.lowlevel import RunVar
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import DateTime, Engine, MetaData, Result, create_engine, event, exc
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql import ColumnElement, Executable
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from luoshi.clock import utcnow
from luoshi.settings import get_settings

__all__ = ["Base", "SessionDep", "UTCDateTime", "get_session", "read_records", "records", "session_factory",
           "utcnow"]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored as UTC; always read back timezone-aware (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@lru_cache(maxsize=512)
def _record(keys: tuple[str, ...]) -> Callable[[Iterable[Any]], Any]:
    return namedtuple("Record", keys)._make  # type: ignore[misc]


def records(result: Result[Any]) -> list[Any]:
    """A result's rows as named tuples, read by attribute as cheaply as a plain object.

    SQLAlchemy's compiled ``Row`` answers ``row.name`` only after the generic lookup has failed
    and formatted an AttributeError: about 2 µs per access, a sixth of a list page's CPU. For
    rows read field by field on a hot path; the column labels must be valid Python names.
    """
    make = _record(tuple(result.keys()))
    return [make(row) for row in result.all()]


def read_records(session: Session, statement: Executable, params: dict[str, Any] | None = None) -> list[Any]:
    """A SELECT of columns (not entities) run as plain SQL on the session's connection, as
    ``records``: the ORM's execution path adds nothing to such rows but costs a twentieth of a
    list page. Changes pending in the session are flushed first, as the ORM would."""
    session.flush()
    return records(session.connection().execute(statement, params or {}))


class sqlite_unindexed(FunctionElement[Any]):  # noqa: N801 - reads as a column
    """``column`` as it is, except that SQLite may not reach rows through an index on it
    (``+column``, SQLite's own way of saying so); other databases see the column alone.

    SQLite's statistics give an index's rows per value on average, not per value: where one
    value holds nearly every row (the city office issues nearly every task), it reckons a
    lookup by another column's index as dear as by this one and may scan the table instead.
    """

    inherit_cache = True

    def __init__(self, column: ColumnElement[Any]) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(sqlite_unindexed)
def _column_alone(element: sqlite_unindexed, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    return compiler.process(element.clauses, **kw)


@compiles(sqlite_unindexed, "sqlite")
def _unary_plus(element: sqlite_unindexed, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    return f"+{compiler.process(element.clauses, **kw)}"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


SQLITE_IMMEDIATE = "luoshi_sqlite_immediate"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def ensure_sqlite_directory(url: str) -> None:
    """SQLite creates the file but not its folder (./data on a fresh checkout)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)


# A SQLite connection reads the planner's statistics when it opens, and only then: pooled ones
# are replaced after this long, so that they plan by those the daily job takes
# (``luoshi.planner_statistics``). Opening one costs well under a millisecond.
SQLITE_RECYCLE_SECONDS = 3600


def make_engine(url: str) -> Engine:
    settings = get_settings()
    pool = {"pool_size": settings.db_pool_size, "max_overflow": settings.db_max_overflow}
    if url.startswith("sqlite"):
        ensure_sqlite_directory(url)
        memory = url in ("sqlite://", "sqlite:///:memory:")  # one connection: no pool to size
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               **({} if memory else {**pool, "pool_recycle": SQLITE_RECYCLE_SECONDS}))

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _: Any) -> None:
            # pysqlite's own transaction handling breaks SAVEPOINT; SQLAlchemy emits BEGIN.
            dbapi_conn.isolation_level = None
            # Foreign keys are off by default in SQLite; WAL lets readers run beside a writer.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # A transaction that will write takes the write lock up front and waits its turn
            # (busy timeout); a deferred one that reads first and writes later fails at once
            # ("database is locked") when another writer committed in between.
            immediate = conn.get_execution_options().get(SQLITE_IMMEDIATE)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    engine = create_engine(url, **pool)
    _ping_when_idle(engine)
    _unprepared_when_asked(engine)
    return engine


# An execution option: ``statement.execution_options(**UNPREPARED)`` runs it unprepared.
UNPREPARED = {"luoshi_prepare": False}


def _unprepared_when_asked(engine: Engine) -> None:
    """psycopg prepares a statement on a connection after its fifth run there, and PostgreSQL
    then plans it once for any values. A statement marked ``UNPREPARED`` is sent as it is every
    time: planned for its own values, no plan kept. For statements built for one caller with
    their values written in (the to-do): a kept plan costs the server about 0.7 MB per caller
    and connection."""

    @event.listens_for(engine, "do_execute")
    def _execute(cursor: Any, statement: str, parameters: Any, context: Any) -> bool | None:
        if context.execution_options.get("luoshi_prepare", True):
            return None
        cursor.execute(statement, parameters, prepare=False)
        return True


# A pooled connection that has been idle this long is pinged before use (SQLAlchemy's pre-ping
# pings every checkout: one more round trip on every request, a sixth of a light one's).
PING_AFTER_IDLE_SECONDS = 5.0


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use only when it has sat idle, when the server may have
    closed it (restart, failover, idle timeout). A connection back from use a moment ago is
    trusted; if the server went away in that moment, the statement fails once and the pool
    drops every connection made before then (SQLAlchemy's disconnect handling)."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn: Any, record: Any, _: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool retries with a fresh connection and drops the others made before now.
            raise exc.InvalidatePoolError() from error


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@lru_cache
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


def end_transaction(session: Session, exc: BaseException | None) -> None:
    """End a request's transaction: commit when the handler returned (``exc`` None), roll back
    when it raised, then close the session.

    An error may carry follow-up writes that must survive the rollback (a failed login is
    counted, a permission denial is audited); they run in a fresh transaction.
    """
    from luoshi.errors import AppError

    try:
        if exc is None:
            session.commit()
            return
        session.rollback()
        if isinstance(exc, AppError) and exc.after_rollback:
            for effect in exc.after_rollback:
                effect(session)
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def read_outside_transaction(session: Session) -> None:
    """Let a session that will only read run each statement on its own, without BEGIN and COMMIT.

    psycopg sends BEGIN and COMMIT as round trips of their own, two of a hot read's four. In
    PostgreSQL's default isolation (READ COMMITTED) each statement of a transaction takes its
    own snapshot anyway, so a read sees nothing different. Nothing may be written: each write
    would commit at once. SQLite's BEGIN and COMMIT cost no round trip and its transactions do
    keep one snapshot, so it is left as it is; so is a session already bound to a connection
    (a test's, inside the test's transaction). The pool restores the connection's transactions
    when the session returns it.
    """
    bind = session.get_bind()
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql" and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def writing_session() -> Session:
    """A session whose transaction will write; on SQLite it begins IMMEDIATE (no effect elsewhere)."""
    session = get_sessionmaker()()
    session.connection(execution_options={SQLITE_IMMEDIATE: True})
    return session


def begin_write(session: Session) -> None:
    """End a request's read-only transaction and begin one that will write (IMMEDIATE on SQLite).

    For a read that ends with a record of itself (an export's audit entry): on SQLite a long
    read cannot become a write once another writer has committed; elsewhere it does no harm.
    """
    session.commit()
    session.connection(execution_options={SQLITE_IMMEDIATE: True})


def open_session(writes: bool) -> Session:
    return writing_session() if writes else get_sessionmaker()()


async def session_factory() -> Callable[[bool], Session]:
    """Where request sessions come from (tests bind them to their own connection)."""
    return open_session


_SLOTS: RunVar[anyio.CapacityLimiter] = RunVar("luoshi_connection_slots")


def loop_limiter(var: RunVar[anyio.CapacityLimiter], tokens: Callable[[], int]) -> anyio.CapacityLimiter:
    """The event loop's limiter kept in ``var``, made with ``tokens()`` places when the loop
    first asks (a served worker runs one loop; the tests start one per app)."""
    try:
        return var.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(tokens())
        var.set(limiter)
        return limiter


@asynccontextmanager
async def connection_slot() -> AsyncIterator[None]:
    """Wait, without holding a thread, until one of the worker's database connections is free.

    A request's session keeps its connection across several trips to the thread pool (the
    caller's lookup, the handler, the commit). Were the pool's connections all held by requests
    waiting for a thread, while every thread waited for a connection, nothing would move until
    the pool timed out. At most as many requests hold a session as there are connections, so a
    thread never waits for one.
    """
    slots = loop_limiter(_SLOTS, lambda: get_settings().db_pool_size + get_settings().db_max_overflow)
    holder = object()  # a request's setup and teardown may run in different tasks
    await slots.acquire_on_behalf_of(holder)
    try:
        yield
    finally:
        slots.release_on_behalf_of(holder)


async def get_session(
    request: Request, factory: Annotated[Callable[[bool], Session], Depends(session_factory)],
) -> AsyncIterator[Session]:
    """The request's session. Async so that a read costs no trip to the thread pool to open it
    (a session touches the database only when first used, in the handler's thread); a write's
    opens in the pool (on SQLite it takes the write lock), and so does a request's end unless
    the handler has ended the transaction itself."""
    async with connection_slot():
        if request.method in SAFE_METHODS:
            session = factory(False)
        else:
            session = await run_in_threadpool(factory, True)
        try:
            yield session
        except BaseException as exc:
            await run_in_threadpool(end_transaction, session, exc)
            raise
        if session.in_transaction():
            await run_in_threadpool(end_transaction, session, None)
        else:  # the handler committed (security.in_one_trip): closing needs no I/O
            session.close()


# scope="function": the commit runs when the handler returns and before the response is sent,
# so a client never acts on an answer whose change was not committed.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
