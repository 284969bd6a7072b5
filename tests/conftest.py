"""Test harness: a migrated database per backend (SQLite and PostgreSQL), a second one with the
demo organisation committed for the tests that use ``org``, a rolled-back transaction per test,
and helpers to act as any demo user.

Every test using ``db`` or ``client`` runs once per database. With CI=true an unreachable
PostgreSQL fails the run instead of skipping.
"""

import functools
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import NoReturn

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, event, make_url, select, text
from sqlalchemy.orm import Session

import luoshi.db as dbmod
from luoshi.auth.models import AuthSession
from luoshi.auth.tokens import issue_access_token
from luoshi.db import make_engine, session_factory, utcnow
from luoshi.demo.load import load_org
from luoshi.main import create_app
from luoshi.migrate import upgrade
from luoshi.settings import get_settings
from luoshi.users.models import User
from tests.answers import AnswersMatchTheirModels

PG_ADMIN_URL = os.environ.get(
    "LUOSHI_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _pg_url(admin_url: str, name: str) -> str:
    return admin_url.rsplit("/", 1)[0] + "/" + name


def pg_unreachable(error: Exception) -> NoReturn:
    """PostgreSQL did not answer: the test fails in CI, where it must run, and is skipped elsewhere."""
    if IN_CI:
        pytest.fail(f"PostgreSQL unreachable in CI: {error}")
    pytest.skip(f"PostgreSQL unreachable: {error}")


def _create_pg_database() -> str:
    name = f"luoshi_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        pg_unreachable(exc)
    admin.dispose()
    return _pg_url(PG_ADMIN_URL, name)


def _drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def _migrated(backend: str, folder: Path) -> Iterator[str]:
    """A new database on ``backend``, built by ``alembic upgrade heads``; PostgreSQL's is dropped after."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'test.db'}"
        upgrade(url)
        yield url
        return
    url = _create_pg_database()
    try:
        upgrade(url)
        yield url
    finally:
        _drop_pg_database(url)


@pytest.fixture
def pg_database(tmp_path: Path) -> Iterator[str]:
    """A migrated PostgreSQL database of the test's own, for what must commit for real (races,
    the app's own engine); dropped after the test."""
    with _migrated("postgresql", tmp_path) as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A freshly migrated database (alembic upgrade head), one per backend."""
    with _migrated(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


def _forget_app_database() -> None:
    get_settings.cache_clear()
    dbmod.get_engine.cache_clear()
    dbmod.get_sessionmaker.cache_clear()


@pytest.fixture
def point_app_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """``point_app_at(url)``: until the test ends, the app's own settings, engine and
    sessionmaker (what the CLI and a served app use, outside the test transaction) read the
    database at ``url``. Afterwards its connections are closed and the caches emptied again."""
    pointed = False

    def _point(url: str) -> None:
        nonlocal pointed
        monkeypatch.setenv("LUOSHI_DATABASE_URL", url)
        _forget_app_database()
        pointed = True

    yield _point
    if pointed:
        dbmod.get_engine().dispose()
    _forget_app_database()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The empty migrated database."""
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def org_engine(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A second migrated database on the same backend, with the demo organisation and accounts
    committed once: what every test using ``org`` starts from, instead of loading it each time."""
    with _migrated(make_url(database_url).get_backend_name(), tmp_path_factory.mktemp("org")) as url:
        eng = make_engine(url)
        with Session(eng) as session:
            load_org(session)
            session.commit()
        yield eng
        eng.dispose()


@pytest.fixture
def connection(request: pytest.FixtureRequest, engine: Engine) -> Iterator[Connection]:
    """The test's connection, in a transaction rolled back after the test: on the database with
    the demo organisation when the test uses ``org`` (directly or through another fixture)."""
    if "org" in request.fixturenames:
        engine = request.getfixturevalue("org_engine")
    conn = engine.connect()
    outer = conn.begin()
    yield conn
    outer.rollback()
    conn.close()


@pytest.fixture
def db(connection) -> Iterator[Session]:
    """The test's view of the database; everything is rolled back after the test."""
    session = Session(bind=connection, join_transaction_mode="create_savepoint",
                      expire_on_commit=False)
    yield session
    session.close()


def app_on(connection: Connection) -> FastAPI:
    """The app with every request's session in a savepoint on ``connection``."""
    application = create_app()

    def _open(writes: bool) -> Session:
        return Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)

    async def _factory():  # async as the real one is: no trip to the thread pool
        return _open

    application.dependency_overrides[session_factory] = _factory
    application.add_middleware(AnswersMatchTheirModels)
    return application


@pytest.fixture
def app(connection: Connection) -> FastAPI:
    return app_on(connection)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=True) as c:
        yield c


@pytest.fixture(scope="session", autouse=True)
def _started_processes_share_bytecode(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """With bytecode writing off (PYTHONDONTWRITEBYTECODE), every Python process a test starts
    (``luoshi serve`` and its workers, the hash-seed probes) compiles all it imports: seconds
    each. They share compiled files in a folder of the run's own instead, outside the tree."""
    if not sys.flags.dont_write_bytecode:
        yield
        return
    patch = pytest.MonkeyPatch()
    patch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    patch.setenv("PYTHONPYCACHEPREFIX", str(tmp_path_factory.mktemp("pycache")))
    yield
    patch.undo()


@pytest.fixture(scope="session", autouse=True)
def _demo_password_hashed_once() -> Iterator[None]:
    """The demo accounts share one argon2 hash of ``Luoshi@2026`` (``load_org`` hashes it once
    per call): computed once per run instead of once per test, with the production parameters.
    Logins still verify against it at full cost; only the loader's call is remembered."""
    from luoshi.demo import load

    patch = pytest.MonkeyPatch()
    patch.setattr(load, "hash_password", functools.cache(load.hash_password))
    yield
    patch.undo()


@pytest.fixture
def org(db: Session) -> Session:
    """The demo organisation and accounts (password ``Luoshi@2026``): ``db``, on the database
    that has them (``org_engine``, chosen by ``connection``)."""
    return db


def token_for(db: Session, username: str) -> str:
    """An access token for a user without going through the (slow, argon2) login."""
    user = db.execute(select(User).where(User.username == username)).scalar_one()
    now = utcnow()
    auth = AuthSession(user_id=user.id, created_at=now, last_used_at=now,
                       expires_at=now + timedelta(days=1))
    db.add(auth)
    db.commit()
    return issue_access_token(get_settings(), user.id, auth.id, now)


@pytest.fixture
def as_user(org: Session):
    """``as_user("supervisor")`` → headers acting as that demo user."""

    def _headers(username: str, lang: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {token_for(org, username)}"}
        if lang:
            headers["Accept-Language"] = lang
        return headers

    return _headers


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            self.count += 1
            self.statements.append(statement)


@pytest.fixture
def count_queries(connection: Connection):
    """``with count_queries() as q: ...; q.count`` counts SQL statements (N+1 guard)."""
    engine = connection.engine

    @contextmanager
    def _counting():
        counter = QueryCounter()
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return _counting


class FakeClock:
    """A settable clock: ``clock.set(datetime(...))``, ``clock.advance(minutes=16)``."""

    def __init__(self) -> None:
        from luoshi.clock import utcnow as real

        self.now = real()

    def set(self, when) -> None:  # type: ignore[no-untyped-def]
        self.now = when

    def advance(self, **delta: float) -> None:
        self.now = self.now + timedelta(**delta)

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


@pytest.fixture
def clock() -> Iterator[FakeClock]:
    from luoshi import clock as clock_module

    fake = FakeClock()
    clock_module.set_source(fake)
    yield fake
    clock_module.set_source(None)


@pytest.fixture(autouse=True)
def _fresh_memos():
    """Rolled-back tests reuse ids and stamps, so a kept answer (a tree, a to-do) must not
    outlive its test; tests change settings, which built statements may depend on
    (``luoshi.memo``)."""
    from luoshi import memo

    memo.clear_all()
    yield
    memo.clear_all()


@pytest.fixture
def attachment_dir(tmp_path) -> Iterator[Path]:
    """Attachments stored in the test's own folder (made on the first upload); the settings
    a test changes for them are restored after it."""
    settings = get_settings()
    before = settings.attachment_dir, settings.attachment_max_bytes
    settings.attachment_dir = str(tmp_path / "files")
    yield tmp_path / "files"
    settings.attachment_dir, settings.attachment_max_bytes = before
