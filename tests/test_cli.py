"""The deployment commands: a fresh production database gets its first admin from the
environment and never a known password."""

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

import luoshi.db as dbmod
from luoshi.cli import app, bootstrap_admin
from luoshi.migrate import upgrade
from luoshi.settings import get_settings
from luoshi.users.models import User


@pytest.fixture
def fresh_sqlite(tmp_path, point_app_at):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    point_app_at(url)
    return url


def users(url):
    with dbmod.get_sessionmaker()() as s:
        return {u.username: u.roles for u in s.execute(select(User)).scalars()}


def test_production_refuses_to_start_without_bootstrap_admin(fresh_sqlite, monkeypatch):
    monkeypatch.setenv("LUOSHI_ENV", "production")
    monkeypatch.setenv("LUOSHI_SECRET_KEY", "s" * 48)
    get_settings.cache_clear()
    import typer

    with pytest.raises(typer.Exit):
        bootstrap_admin()
    assert users(fresh_sqlite) == {}


def test_bootstrap_admin_from_environment(fresh_sqlite, monkeypatch):
    monkeypatch.setenv("LUOSHI_ENV", "production")
    monkeypatch.setenv("LUOSHI_SECRET_KEY", "s" * 48)
    monkeypatch.setenv("LUOSHI_BOOTSTRAP_ADMIN_USERNAME", "root_admin")
    monkeypatch.setenv("LUOSHI_BOOTSTRAP_ADMIN_PASSWORD", "Very#Strong2026pw")
    get_settings.cache_clear()
    bootstrap_admin()
    bootstrap_admin()  # a second start changes nothing
    assert users(fresh_sqlite) == {"root_admin": ["admin"]}


def test_bootstrap_admin_password_must_pass_policy(fresh_sqlite, monkeypatch):
    monkeypatch.setenv("LUOSHI_BOOTSTRAP_ADMIN_USERNAME", "root_admin")
    monkeypatch.setenv("LUOSHI_BOOTSTRAP_ADMIN_PASSWORD", "weak")
    get_settings.cache_clear()
    from luoshi.errors import Unprocessable

    with pytest.raises(Unprocessable):
        bootstrap_admin()
    assert users(fresh_sqlite) == {}


def test_load_demo_only_into_an_empty_database(fresh_sqlite):
    first = CliRunner().invoke(app, ["load-demo"])
    assert first.exit_code == 0 and "demo data loaded" in first.output
    loaded = users(fresh_sqlite)
    assert {"admin", "secadmin", "auditor", "supervisor", "mayor", "fgw_liaison"} <= set(loaded)
    second = CliRunner().invoke(app, ["load-demo"])
    assert "not empty" in second.output
    assert users(fresh_sqlite) == loaded


def test_verify_audit_command_names_the_first_broken_entry(fresh_sqlite):
    from sqlalchemy import update

    from luoshi.audit.models import AuditEntry
    from luoshi.audit.service import Actor, record

    with dbmod.get_sessionmaker().begin() as session:
        for i in range(4):
            record(session, "test.event", Actor(None, "tester"), detail={"i": i})
    ok = CliRunner().invoke(app, ["verify-audit"])
    assert ok.exit_code == 0 and "4 entries" in ok.output
    with dbmod.get_sessionmaker().begin() as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(action="forged"))
    broken = CliRunner().invoke(app, ["verify-audit"])
    assert broken.exit_code == 1
    assert "seq 2" in broken.output and "content was changed" in broken.output


def test_migrate_creates_the_sqlite_folder_on_a_fresh_checkout(tmp_path, point_app_at):
    point_app_at(f"sqlite:///{tmp_path / 'not-yet' / 'luoshi.db'}")
    result = CliRunner().invoke(app, ["migrate"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "not-yet" / "luoshi.db").is_file()
