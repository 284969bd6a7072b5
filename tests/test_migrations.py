"""The schema comes from migrations alone, and the migrations match the models."""

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from luoshi import stamps
from luoshi.db import make_engine
from luoshi.migrate import alembic_config, head_revisions, is_current, upgrade
from luoshi.models import Base
from tests.conftest import _migrated


def test_database_is_at_head(connection):
    assert is_current(connection)
    assert MigrationContext.configure(connection).get_current_heads()
    assert set(MigrationContext.configure(connection).get_current_heads()) == head_revisions()


def test_every_model_table_exists(connection):
    tables = set(inspect(connection).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_autogenerate_finds_nothing_to_add(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_change_stamp_triggers_exist_at_head(connection):
    """A migration that recreates tasks, task_assignments or units on SQLite drops their
    triggers; it must call ``stamps.install`` again."""
    if connection.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    present = {row[0] for row in connection.exec_driver_sql(query)}
    assert stamps.trigger_names() <= present


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_every_migration_is_undone_and_redone_cleanly(backend: str, tmp_path: Path) -> None:
    """``alembic downgrade base`` leaves nothing of the schema behind (tables, PostgreSQL's
    types and triggers), so that upgrading again builds it as new."""
    with _migrated(backend, tmp_path) as url:
        command.downgrade(alembic_config(url), "base")
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
                assert MigrationContext.configure(conn).get_current_heads() == ()
            upgrade(url)
            with engine.connect() as conn:
                assert is_current(conn)
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                assert compare_metadata(context, Base.metadata) == []
        finally:
            engine.dispose()
