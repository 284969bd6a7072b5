"""The schema comes from migrations alone, and the migrations match the models."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from luoshi import stamps
from luoshi.migrate import head_revisions, is_current
from luoshi.models import Base


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
