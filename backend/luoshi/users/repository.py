"""SQL for users."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from luoshi.auth.models import AuthSession
from luoshi.org.models import Unit
from luoshi.users.models import User, UserRole


def get(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_by_username(session: Session, username: str) -> User | None:
    return session.execute(select(User).where(User.username == username)).scalar_one_or_none()


def page(
    session: Session,
    scope_paths: list[str] | None,
    *,
    unit_id: int | None,
    role: str | None,
    q: str | None,
    after_id: int | None,
    limit: int,
) -> Sequence[User]:
    query = select(User).join(Unit, Unit.id == User.unit_id).order_by(User.id).limit(limit)
    if scope_paths is not None:
        query = query.where(or_(*[Unit.path.startswith(p, autoescape=True) for p in scope_paths]))
    if unit_id is not None:
        query = query.where(User.unit_id == unit_id)
    if role is not None:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if q:
        like = f"%{q}%"
        query = query.where(or_(User.username.ilike(like), User.display_name.ilike(like)))
    if after_id is not None:
        query = query.where(User.id > after_id)
    return session.execute(query).scalars().all()


def set_roles(session: Session, user: User, roles: list[str]) -> None:
    session.execute(delete(UserRole).where(UserRole.user_id == user.id))
    session.flush()
    session.expire(user, ["role_rows"])
    for role in roles:
        session.add(UserRole(user_id=user.id, role=role))
    session.flush()
    session.refresh(user, ["role_rows"])


def revoke_sessions(
    session: Session, user_id: int, reason: str, now: datetime, keep_session_id: int | None = None
) -> None:
    query = update(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
    if keep_session_id is not None:
        query = query.where(AuthSession.id != keep_session_id)
    session.execute(query.values(revoked_at=now, revoked_reason=reason))
