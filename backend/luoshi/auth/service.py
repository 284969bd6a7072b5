"""Sign-in, token rotation with reuse detection, lockout and sign-out."""

import hashlib
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from luoshi.audit.service import Actor, record
from luoshi.auth.models import AuthSession, RefreshToken
from luoshi.auth.passwords import check_policy, hash_password, needs_rehash, verify_password
from luoshi.auth.schemas import TokenPair
from luoshi.auth.tokens import issue_access_token, new_refresh_token
from luoshi.db import utcnow
from luoshi.errors import Locked, Unauthorized, Unprocessable
from luoshi.security import CurrentUser
from luoshi.settings import Settings
from luoshi.users import repository as users
from luoshi.users.models import User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _pair(session: Session, settings: Settings, user: User, auth: AuthSession) -> TokenPair:
    now = utcnow()
    refresh = new_refresh_token()
    session.add(RefreshToken(session_id=auth.id, token_hash=_hash(refresh), created_at=now))
    session.flush()
    return TokenPair(
        access_token=issue_access_token(settings, user.id, auth.id, now),
        refresh_token=refresh,
        expires_in=settings.access_token_minutes * 60,
    )


def login(
    session: Session, settings: Settings, username: str, password: str,
    ip: str | None, user_agent: str | None,
) -> TokenPair:
    now = utcnow()
    user = users.get_by_username(session, username)
    actor = Actor(user.id if user else None, username, ip)
    if user is not None and user.locked_until is not None and user.locked_until > now:
        locked_until = user.locked_until.isoformat(timespec="seconds")
        # People read the office's local time; clients get the instant in `locked_until`.
        local = user.locked_until.astimezone(ZoneInfo(settings.timezone)).strftime("%Y-%m-%d %H:%M")
        raise Locked(
            params={"locked_until": local}, extra={"locked_until": locked_until},
            after_rollback=[lambda s: record(s, "auth.login", actor, outcome="locked")],
        )
    if user is None or not verify_password(user.password_hash, password):
        user_id = user.id if user else None

        def _count_failure(s: Session) -> None:
            detail = {"reason": "bad_password" if user_id else "unknown_user"}
            if user_id is not None:
                target = s.get(User, user_id)
                assert target is not None
                target.failed_login_count += 1
                if target.failed_login_count >= settings.lockout_threshold:
                    target.locked_until = utcnow() + timedelta(minutes=settings.lockout_minutes)
                    target.failed_login_count = 0
                    record(s, "auth.lockout", actor, outcome="locked", target_type="user",
                           target_id=user_id, detail={"minutes": settings.lockout_minutes})
            record(s, "auth.login", actor, outcome="failure", detail=detail)

        raise Unauthorized("auth.invalid_credentials", after_rollback=[_count_failure])
    if not user.is_active:
        raise Unauthorized("auth.account_disabled", after_rollback=[
            lambda s: record(s, "auth.login", actor, outcome="failure", detail={"reason": "disabled"})])
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    auth = AuthSession(
        user_id=user.id, created_at=now, last_used_at=now,
        expires_at=now + timedelta(days=settings.refresh_token_days),
        ip=ip, user_agent=(user_agent or "")[:255] or None,
    )
    session.add(auth)
    session.flush()
    record(session, "auth.login", actor, target_type="session", target_id=auth.id)
    return _pair(session, settings, user, auth)


def refresh(session: Session, settings: Settings, token: str, ip: str | None) -> TokenPair:
    now = utcnow()
    row = session.execute(
        select(RefreshToken, AuthSession, User)
        .join(AuthSession, AuthSession.id == RefreshToken.session_id)
        .join(User, User.id == AuthSession.user_id)
        .where(RefreshToken.token_hash == _hash(token))
    ).first()
    if row is None:
        raise Unauthorized("auth.token_invalid")
    stored, auth, user = row
    actor = Actor(user.id, user.username, ip)
    if stored.used_at is not None:
        session_id = auth.id

        def _revoke_family(s: Session) -> None:
            s.execute(
                update(AuthSession)
                .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
                .values(revoked_at=utcnow(), revoked_reason="refresh_reused")
            )
            record(s, "auth.refresh_reuse", actor, outcome="denied", target_type="session",
                   target_id=session_id)

        raise Unauthorized("auth.refresh_reused", after_rollback=[_revoke_family])
    idle_limit = auth.last_used_at + timedelta(minutes=settings.session_idle_minutes)
    if auth.revoked_at is not None or auth.expires_at <= now or idle_limit <= now:
        raise Unauthorized("auth.session_ended")
    if not user.is_active:
        raise Unauthorized("auth.account_disabled")
    # Conditional update: of two requests racing with one token, only one wins.
    won = session.execute(
        update(RefreshToken).where(RefreshToken.id == stored.id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if won != 1:
        raise Unauthorized("auth.refresh_reused")
    auth.last_used_at = now
    return _pair(session, settings, user, auth)


def logout(session: Session, current: CurrentUser, scope: str) -> None:
    query = update(AuthSession).where(
        AuthSession.user_id == current.id, AuthSession.revoked_at.is_(None)
    )
    if scope == "current":
        query = query.where(AuthSession.id == current.session_id)
    elif scope == "others":
        query = query.where(AuthSession.id != current.session_id)
    session.execute(query.values(revoked_at=utcnow(), revoked_reason=f"logout_{scope}"))
    record(session, "auth.logout", current.actor, target_type="session",
           target_id=current.session_id, detail={"scope": scope})


def change_password(
    session: Session, settings: Settings, current: CurrentUser, old: str, new: str
) -> None:
    user = session.get_one(User, current.id)
    if not verify_password(user.password_hash, old):
        raise Unprocessable("auth.password_wrong", errors=[{"field": "current_password", "message": {  # type: ignore[dict-item]
            "zh": "原密码错误", "en": "wrong password"}}])
    check_policy(settings, new, user.username, field="new_password")
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    users.revoke_sessions(session, user.id, "password_changed", utcnow(),
                          keep_session_id=current.session_id)
    record(session, "auth.password_change", current.actor, target_type="user", target_id=user.id)
