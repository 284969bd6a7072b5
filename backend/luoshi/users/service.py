"""Rules for users: scoped reads, admin writes, separation of duties (三员分立)."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from luoshi.audit.service import record
from luoshi.auth.passwords import check_policy, hash_password
from luoshi.db import utcnow
from luoshi.errors import Conflict, NotFound, Unprocessable
from luoshi.org import repository as unit_repo
from luoshi.org.scope import in_scope, org_scope_paths
from luoshi.pagination import decode_cursor, encode_cursor
from luoshi.permissions import SEPARATED_DUTIES, Role
from luoshi.security import CurrentUser
from luoshi.settings import get_settings
from luoshi.users import repository as repo
from luoshi.users.models import User
from luoshi.users.schemas import UserCreate, UserUpdate


def _check_duties(roles: Sequence[str]) -> None:
    if len(SEPARATED_DUTIES & {Role(r) for r in roles}) > 1:
        raise Unprocessable("users.separation_of_duties", errors=[{"field": "roles", "message": {  # type: ignore[dict-item]
            "zh": "系统管理员、安全管理员、安全审计员不得兼任",
            "en": "admin, security and auditor cannot be combined"}}])


def _unit_or_422(session: Session, unit_id: int):  # type: ignore[no-untyped-def]
    unit = unit_repo.get(session, unit_id)
    if unit is None:
        raise Unprocessable("org.unit_not_found", errors=[{"field": "unit_id", "message": {  # type: ignore[dict-item]
            "zh": "单位不存在", "en": "no such unit"}}])
    return unit


def list_users(
    session: Session, current: CurrentUser, *, unit_id: int | None, role: str | None,
    q: str | None, cursor: str | None, limit: int,
) -> tuple[Sequence[User], str | None]:
    after = decode_cursor(cursor, 1)
    rows = repo.page(session, org_scope_paths(session, current), unit_id=unit_id, role=role,
                     q=q, after_id=int(after[0]) if after else None, limit=limit + 1)
    next_cursor = encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None
    return rows[:limit], next_cursor


def get_user(session: Session, current: CurrentUser, user_id: int) -> User:
    user = repo.get(session, user_id)
    if user is None or not in_scope(user.unit, org_scope_paths(session, current)):
        raise NotFound()
    return user


def create_user(session: Session, current: CurrentUser, data: UserCreate) -> User:
    roles = [r.value for r in data.roles]
    _check_duties(roles)
    if repo.get_by_username(session, data.username):
        raise Conflict("users.username_taken")
    _unit_or_422(session, data.unit_id)
    check_policy(get_settings(), data.password, data.username)
    user = User(
        username=data.username, display_name=data.display_name, unit_id=data.unit_id,
        password_hash=hash_password(data.password), title=data.title, phone=data.phone,
        is_chief=data.is_chief,
    )
    session.add(user)
    session.flush()
    repo.set_roles(session, user, roles)
    record(session, "user.create", current.actor, target_type="user", target_id=user.id,
           detail={"username": user.username, "unit_id": user.unit_id, "roles": roles})
    return user


def update_user(session: Session, current: CurrentUser, user_id: int, data: UserUpdate) -> User:
    user = get_user(session, current, user_id)
    changes = data.model_dump(exclude_unset=True, mode="json")
    now = utcnow()
    if changes.get("is_active") is False and user.id == current.id:
        raise Unprocessable("users.cannot_disable_self")
    if data.roles is not None:
        _check_duties([r.value for r in data.roles])
    if data.unit_id is not None:
        _unit_or_422(session, data.unit_id)
    if data.password is not None:
        check_policy(get_settings(), data.password, user.username)
        user.password_hash = hash_password(data.password)
        user.password_changed_at = now
        repo.revoke_sessions(session, user.id, "password_reset", now)
    for name in ("display_name", "unit_id", "title", "phone", "is_chief", "is_active"):
        if name in changes and changes[name] is not None:
            setattr(user, name, changes[name])
    if changes.get("is_active") is False:
        repo.revoke_sessions(session, user.id, "user_disabled", now)
    if data.roles is not None:
        repo.set_roles(session, user, [r.value for r in data.roles])
    changes.pop("password", None)
    session.flush()
    session.expire(user, ["unit"])  # the relationship still holds the old unit after a move
    record(session, "user.update", current.actor, target_type="user", target_id=user.id,
           detail={**changes, "password_reset": data.password is not None})
    session.flush()
    return user


def unlock_user(session: Session, current: CurrentUser, user_id: int) -> User:
    user = get_user(session, current, user_id)
    user.failed_login_count = 0
    user.locked_until = None
    record(session, "user.unlock", current.actor, target_type="user", target_id=user.id)
    session.flush()
    return user


def revoke_user_sessions(session: Session, current: CurrentUser, user_id: int) -> None:
    user = get_user(session, current, user_id)
    repo.revoke_sessions(session, user.id, "revoked_by_security", utcnow())
    record(session, "user.sessions_revoke", current.actor, target_type="user", target_id=user.id)
