"""Who is calling: the current-user dependency and the permission guard."""

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from luoshi.audit.service import Actor
from luoshi.auth.models import AuthSession
from luoshi.auth.tokens import decode_access_token
from luoshi.db import SessionDep, utcnow
from luoshi.errors import Forbidden, Unauthorized
from luoshi.permissions import Permission, Role, permissions_for
from luoshi.settings import get_settings
from luoshi.users.models import User

bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/v1/auth/login")


@dataclass
class CurrentUser:
    user: User
    session_id: int
    ip: str | None
    permissions: frozenset[Permission] = field(default_factory=frozenset)
    # 代管: set when a substitute acts for ``user`` (the holder); records show both.
    substitute: User | None = None
    # What the caller may see of the task tree, built once per request by tasks.scope.task_scope.
    task_scope: Any = field(default=None, repr=False, compare=False)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def roles(self) -> list[str]:
        return self.user.roles

    @property
    def unit_id(self) -> int:
        return self.user.unit_id

    def has_role(self, *roles: Role) -> bool:
        return any(r in self.user.roles for r in roles)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def actor(self) -> Actor:
        if self.substitute is not None:
            return Actor(self.substitute.id, self.substitute.username, self.ip,
                         on_behalf_of_id=self.user.id)
        return Actor(self.user.id, self.user.username, self.ip)


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def get_current_user(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    act_for: Annotated[str | None, Header(
        alias="X-Act-For", description="代管: act for this user id under an active delegation",
    )] = None,
) -> CurrentUser:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized()
    claims = decode_access_token(get_settings(), credentials.credentials)
    # One round trip on every request: user, unit, session and roles together.
    row = session.execute(
        select(User, AuthSession)
        .join(AuthSession, AuthSession.user_id == User.id)
        .where(User.id == claims.user_id, AuthSession.id == claims.session_id)
        .options(joinedload(User.role_rows))
    ).unique().first()
    if row is None:
        raise Unauthorized("auth.token_invalid")
    user, auth_session = row
    now = utcnow()
    if auth_session.revoked_at is not None or auth_session.expires_at <= now:
        raise Unauthorized("auth.session_ended")
    if not user.is_active:
        raise Unauthorized("auth.account_disabled")
    current = CurrentUser(user, auth_session.id, client_ip(request), permissions_for(user.roles))
    if act_for:
        from luoshi.delegation.service import act_for_holder

        current = act_for_holder(session, current, act_for)
    return current


CurrentUserDep = Annotated[CurrentUser, Depends(get_current_user)]


def denied(current: CurrentUser, permission: str, target: str | None = None) -> Forbidden:
    """A 403 whose denial is written to the audit log even though the request rolls back."""
    from luoshi.audit.service import record

    actor = current.actor

    def _audit(session: object) -> None:
        record(session, "permission.denied", actor, outcome="denied",  # type: ignore[arg-type]
               target_type=target, detail={"permission": permission})

    return Forbidden(after_rollback=[_audit])


def require(permission: Permission):  # type: ignore[no-untyped-def]
    """Route dependency: the caller must hold ``permission`` (403, audited, otherwise)."""

    def _check(current: CurrentUserDep) -> CurrentUser:
        if not current.can(permission):
            raise denied(current, permission.value)
        return current

    return Depends(_check)
