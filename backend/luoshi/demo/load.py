"""Load the demo data into an empty database (``luoshi load-demo``; ``make run`` does it)."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from luoshi.auth.passwords import hash_password
from luoshi.demo.deadlines import load_deadlines
from luoshi.demo.org import DEMO_PASSWORD, UNITS, USERS
from luoshi.demo.reports import load_reports
from luoshi.demo.tasks import load_tasks
from luoshi.org.models import Unit
from luoshi.users.models import User, UserRole


def is_empty(session: Session) -> bool:
    return session.execute(select(func.count()).select_from(Unit)).scalar_one() == 0


def load_org(session: Session) -> None:
    by_code: dict[str, Unit] = {}
    for order, (code, name, short, kind, parent_code) in enumerate(UNITS):
        parent = by_code[parent_code] if parent_code else None
        unit = Unit(code=code, name=name, short_name=short, kind=kind, sort_order=order,
                    parent_id=parent.id if parent else None,
                    depth=parent.depth + 1 if parent else 0, path="")
        session.add(unit)
        session.flush()
        unit.path = f"{parent.path if parent else '/'}{unit.id}/"
        by_code[code] = unit
    password_hash = hash_password(DEMO_PASSWORD)
    for username, display, unit_code, roles, title, chief in USERS:
        user = User(username=username, display_name=display, unit_id=by_code[unit_code].id,
                    password_hash=password_hash, title=title, is_chief=chief)
        user.role_rows = [UserRole(role=r) for r in roles]
        session.add(user)
    session.flush()


def load_demo(session: Session) -> bool:
    """Returns False (and changes nothing) when the database already has units."""
    if not is_empty(session):
        return False
    load_org(session)
    load_tasks(session)
    load_reports(session)
    load_deadlines(session)
    return True
