"""The ``luoshi`` command: migrate, serve, worker, load-demo, verify-audit, export-openapi."""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from luoshi.paths import OPENAPI_FILE
from luoshi.settings import get_settings

app = typer.Typer(help="Luoshi 落实 — supervision platform", no_args_is_help=True,
                  pretty_exceptions_enable=False)


@app.command()
def migrate(revision: str = "heads") -> None:
    """Upgrade the database schema (alembic upgrade)."""
    from luoshi.migrate import upgrade

    upgrade(get_settings().database_url, revision)
    typer.echo(f"database at {revision}")


@app.command("load-demo")
def load_demo() -> None:
    """Load the demo organisation, accounts and tasks into an empty database."""
    from luoshi.db import get_sessionmaker
    from luoshi.demo.load import load_demo as _load

    with get_sessionmaker().begin() as session:
        loaded = _load(session)
    typer.echo("demo data loaded" if loaded else "database not empty: demo data not loaded")


def bootstrap_admin() -> None:
    """A deployment never ships a known password: the first admin comes from the environment."""
    from sqlalchemy import func, select

    from luoshi.auth.passwords import check_policy, hash_password
    from luoshi.db import get_sessionmaker
    from luoshi.org.models import Unit, UnitKind
    from luoshi.users.models import User, UserRole

    settings = get_settings()
    with get_sessionmaker().begin() as session:
        if session.execute(select(func.count()).select_from(User)).scalar_one() > 0:
            return
        username, password = settings.bootstrap_admin_username, settings.bootstrap_admin_password
        if not username or not password:
            if settings.env == "production":
                typer.echo("no users yet: set LUOSHI_BOOTSTRAP_ADMIN_USERNAME and "
                           "LUOSHI_BOOTSTRAP_ADMIN_PASSWORD to create the first admin", err=True)
                raise typer.Exit(2)
            typer.echo("warning: the database has no users (run `luoshi load-demo`)", err=True)
            return
        check_policy(settings, password, username)
        unit = session.execute(select(Unit).where(Unit.parent_id.is_(None)).limit(1)).scalar_one_or_none()
        if unit is None:
            unit = Unit(name="系统管理", short_name="系统管理", code="ROOT", kind=UnitKind.other,
                        path="", depth=0)
            session.add(unit)
            session.flush()
            unit.path = f"/{unit.id}/"
        user = User(username=username, display_name="系统管理员", unit_id=unit.id,
                    password_hash=hash_password(password))
        user.role_rows = [UserRole(role="admin")]
        session.add(user)
    typer.echo(f"created the first admin '{username}'")


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
    reload: bool = False,
) -> None:
    """Serve the API and the SPA."""
    from luoshi.serving import serve as _serve

    bootstrap_admin()
    _serve(workers, app="luoshi.main:create_app", factory=True, host=host, port=port, reload=reload,
           proxy_headers=True, log_level="info")


@app.command()
def worker(
    once: Annotated[bool, typer.Option(help="Run one scan and exit")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between scans")] = 30.0,
) -> None:
    """Run the scheduled scans (deadline states, escalation, notifications, webhooks)."""
    from luoshi.jobs import run_forever, run_once

    if once:
        typer.echo(json.dumps(run_once()))
    else:
        run_forever(interval)


@app.command("verify-audit")
def verify_audit() -> None:
    """Verify the audit log's hash chain; exit 1 and name the first broken entry if it fails."""
    from luoshi.audit.service import verify_chain
    from luoshi.db import get_sessionmaker

    with get_sessionmaker()() as session:
        report = verify_chain(session)
    if report.ok:
        typer.echo(f"audit chain intact: {report.checked} entries")
        return
    typer.echo(f"audit chain BROKEN at seq {report.first_broken_seq} (id {report.first_broken_id}): "
               f"{report.reason}; {report.checked} entries verified before it", err=True)
    raise typer.Exit(1)


@app.command("export-openapi")
def export_openapi(
    output: Annotated[Path, typer.Option(help="Where to write; '-' for stdout")] = OPENAPI_FILE,
) -> None:
    """Write the OpenAPI document the app generates."""
    from luoshi.openapi import openapi_json

    text = openapi_json()
    if str(output) == "-":
        sys.stdout.write(text)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output}")
