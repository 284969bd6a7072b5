"""Who is calling: the verified token (``CredentialsDep``), the caller behind it
(``CurrentUserDep``), the permission guard, and ``in_one_trip`` for the most requested reads."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar
from fastapi import Depends, Header, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic_core import to_json
from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.orm import Session

from luoshi.audit.service import Actor
from luoshi.auth.models import AuthSession
from luoshi.auth.tokens import AccessClaims, decode_access_token
from luoshi.db import SessionDep, loop_limiter, read_outside_transaction, read_records, utcnow
from luoshi.errors import Forbidden, Unauthorized
from luoshi.memo import Built
from luoshi.org.models import Unit
from luoshi.permissions import Permission, Role, permissions_for
from luoshi.settings import get_settings
from luoshi.users.models import User, UserRole

JSON = "application/json"

# The threads that serve ``in_one_trip``'s reads, apart from the pool every other blocking call
# shares (writes, exports, uploads): see ``Settings.read_threads``.
_READ_LANE: RunVar[anyio.CapacityLimiter] = RunVar("luoshi_read_lane")

bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/v1/auth/login")


@dataclass(frozen=True, slots=True)
class CallerUnit:
    """The caller's unit as every request needs it (scope, jurisdiction, labels)."""

    id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    path: str


@dataclass(frozen=True, slots=True)
class Caller:
    """The signed-in user as read on each request: plain values, not an ORM entity, so that
    authenticating costs one narrow query. Code that changes the user loads the entity."""

    id: int
    username: str
    display_name: str
    unit_id: int
    title: str | None
    is_chief: bool
    is_active: bool
    roles: tuple[str, ...]
    unit: CallerUnit

    @classmethod
    def of(cls, user: User) -> "Caller":
        u = user.unit
        return cls(user.id, user.username, user.display_name, user.unit_id, user.title, user.is_chief,
                   user.is_active, tuple(user.roles),
                   CallerUnit(u.id, u.name, u.short_name, u.kind, u.parent_id, u.path))


@dataclass
class CurrentUser:
    user: Caller
    session_id: int
    ip: str | None
    permissions: frozenset[Permission] = field(default_factory=frozenset)
    # 代管: set when a substitute acts for ``user`` (the holder); records show both.
    substitute: Caller | None = None
    # What the caller may see of the task tree, built once per request by tasks.scope.task_scope.
    task_scope: Any = field(default=None, repr=False, compare=False)
    # What the request asked to be read with the caller (``resolve_caller``'s ``alongside``).
    alongside: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, user: User, session_id: int = 0, ip: str | None = None,
           substitute: Caller | None = None) -> "CurrentUser":
        """The caller for a loaded user (jobs, the demo, a holder acting through a substitute)."""
        return cls(Caller.of(user), session_id, ip, permissions_for(user.roles), substitute=substitute)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def roles(self) -> list[str]:
        return list(self.user.roles)

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


# One round trip on every request, a plain statement built once: the session, the user, the
# unit and one row per role (roles are few). No ORM entities: reading them cost more than the
# SQL on hot endpoints.
_users, _units, _sessions, _roles = (m.__table__ for m in (User, Unit, AuthSession, UserRole))
_CALLER = (
    select(_users.c.id, _users.c.username, _users.c.display_name, _users.c.unit_id, _users.c.title,
           _users.c.is_chief, _users.c.is_active, _sessions.c.revoked_at, _sessions.c.expires_at,
           _units.c.name, _units.c.short_name, _units.c.kind, _units.c.parent_id, _units.c.path,
           _roles.c.role)
    .select_from(_sessions.join(_users, _users.c.id == _sessions.c.user_id)
                 .join(_units, _units.c.id == _users.c.unit_id)
                 .outerjoin(_roles, _roles.c.user_id == _users.c.id))
    .where(_sessions.c.id == bindparam("session_id"), _users.c.id == bindparam("user_id"))
    .order_by(_roles.c.role)
)


@dataclass(frozen=True, slots=True)
class Credentials:
    """Who a request says it is: a verified access token, before its session and account are
    read. Checking the token needs no I/O; reading the caller does (``resolve_caller``)."""

    claims: AccessClaims
    ip: str | None
    act_for: str | None = None


def read_credentials(request: Request, credentials: HTTPAuthorizationCredentials | None,
                     act_for: str | None = None) -> Credentials:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized()
    return Credentials(decode_access_token(get_settings(), credentials.credentials), client_ip(request), act_for)


async def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    act_for: Annotated[str | None, Header(
        alias="X-Act-For", description="代管: act for this user id under an active delegation",
    )] = None,
) -> Credentials:
    """The request's verified token (401 otherwise). No I/O: no trip to the thread pool."""
    return read_credentials(request, credentials, act_for)


CredentialsDep = Annotated[Credentials, Depends(authenticate)]


# The caller's statement with what a read asks for alongside (``resolve_caller``).
_CALLER_WITH: Built[Select[Any]] = Built(16)


def resolve_caller(session: Session, credentials: Credentials, alongside: tuple[ColumnElement[Any], ...] = (),
                   alongside_params: dict[str, Any] | None = None) -> CurrentUser:
    """The caller behind verified credentials: their session must be open and their account
    active (401 otherwise); with ``X-Act-For``, the holder they act for.

    ``alongside``: labelled scalar sub-queries (a module's constant), with the values of their
    own parameters in ``alongside_params``, read in the same statement as the caller and
    handed back as ``current.alongside`` (a row): what a read must know before anything else,
    such as the change stamps the to-do is kept under, costs no round trip of its own.
    """
    claims = credentials.claims
    params = {"session_id": claims.session_id, "user_id": claims.user_id}
    statement = _CALLER
    if alongside:
        statement = _CALLER_WITH.get(alongside, lambda: _CALLER.add_columns(*alongside))
        params |= alongside_params or {}
    rows = read_records(session, statement, params)
    if not rows:
        raise Unauthorized("auth.token_invalid")
    r = rows[0]
    if r.revoked_at is not None or r.expires_at <= utcnow():
        raise Unauthorized("auth.session_ended")
    if not r.is_active:
        raise Unauthorized("auth.account_disabled")
    roles = tuple(row.role for row in rows if row.role is not None)
    caller = Caller(r.id, r.username, r.display_name, r.unit_id, r.title, r.is_chief, r.is_active, roles,
                    CallerUnit(r.unit_id, r.name, r.short_name, r.kind, r.parent_id, r.path))
    current = CurrentUser(caller, claims.session_id, credentials.ip, permissions_for(roles))
    if credentials.act_for:
        from luoshi.delegation.service import act_for_holder

        current = act_for_holder(session, current, credentials.act_for)
    if alongside:
        current.alongside = r
    return current


def get_current_user(session: SessionDep, credentials: CredentialsDep) -> CurrentUser:
    return resolve_caller(session, credentials)


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

    async def _check(current: CurrentUserDep) -> CurrentUser:  # no I/O: no trip to the thread pool
        if not current.can(permission):
            raise denied(current, permission.value)
        return current

    return Depends(_check)


async def in_one_trip(session: Session, credentials: Credentials, work: Callable[..., Any], *args: Any,
                      permission: Permission | None = None, alongside: tuple[ColumnElement[Any], ...] = (),
                      alongside_params: dict[str, Any] | None = None, **kwargs: Any) -> Response:
    """Serve a read in one trip to the thread pool: read the caller, check ``permission`` (403,
    audited), run ``work(session, current, *args, **kwargs)``, encode what it returns as JSON
    and commit.

    Each trip between the event loop and a thread costs about 0.1 ms of CPU; a ``def`` read that
    takes the caller from ``CurrentUserDep`` makes four (the caller, the handler, FastAPI's check
    of its response, the commit).
    The trip runs in a lane of ``Settings.read_threads`` threads of its own, so these reads
    neither wait behind an export or a writer held up by a lock in the shared threads, nor
    race more than that many of themselves for the GIL.
    ``work`` returns plain values, response models or a ``Response`` of its own (sent as it
    is). Plain values are encoded as they are, not first checked against the route's
    ``response_model`` as FastAPI would (building a model for every item: 15% of the task
    list's instructions). The route keeps its ``response_model`` for the OpenAPI document, and
    the test suite checks every answer against it instead (``tests/answers.py``).
    ``alongside`` (with ``alongside_params``) is read with the caller (``resolve_caller``), for
    ``work`` to find in ``current.alongside``.
    ``work`` must not write: on PostgreSQL its statements run outside a transaction
    (``db.read_outside_transaction``). If it raises, the request's end rolls back and writes
    what the error asks for (an audited denial) in a transaction of its own.
    """

    def serve() -> Response:
        read_outside_transaction(session)
        current = resolve_caller(session, credentials, alongside, alongside_params)
        if permission is not None and not current.can(permission):
            raise denied(current, permission.value)
        result = work(session, current, *args, **kwargs)
        answer = result if isinstance(result, Response) else Response(to_json(result), media_type=JSON)
        session.commit()
        return answer

    lane = loop_limiter(_READ_LANE, lambda: get_settings().read_threads)
    return await anyio.to_thread.run_sync(serve, limiter=lane)
