from fastapi import Request, Response
from sqlalchemy.orm import Session

from luoshi.auth import service
from luoshi.auth.schemas import LoginRequest, LogoutRequest, Me, PasswordChange, RefreshRequest, TokenPair
from luoshi.db import SessionDep
from luoshi.org.schemas import UnitBrief
from luoshi.permissions import permissions_for
from luoshi.routing import Router
from luoshi.security import CredentialsDep, CurrentUser, CurrentUserDep, client_ip, in_one_trip
from luoshi.settings import get_settings

router = Router(prefix="/api/v1/auth", tags=["auth"])


@router.post("/login", operation_id="auth-login", response_model=TokenPair)
def login(data: LoginRequest, request: Request, session: SessionDep):
    """Exchange a username and password for an access token and a refresh token."""
    return service.login(session, get_settings(), data.username, data.password,
                         client_ip(request), request.headers.get("user-agent"))


@router.post("/refresh", operation_id="auth-refresh", response_model=TokenPair)
def refresh(data: RefreshRequest, request: Request, session: SessionDep):
    """Exchange a refresh token for a new pair; the old refresh token stops working."""
    return service.refresh(session, get_settings(), data.refresh_token, client_ip(request))


@router.post("/logout", operation_id="auth-logout", status_code=204)
def logout(session: SessionDep, current: CurrentUserDep, data: LogoutRequest | None = None) -> None:
    """End this session, the other sessions, or all of the caller's sessions."""
    service.logout(session, current, (data or LogoutRequest()).scope)


@router.get("/me", operation_id="auth-me", response_model=Me)
async def me(session: SessionDep, credentials: CredentialsDep) -> Response:
    """The caller: identity, unit, roles and permissions."""
    return await in_one_trip(session, credentials, _me)


def _me(session: Session, current: CurrentUser) -> Me:
    user = current.user
    return Me(
        id=user.id, username=user.username, display_name=user.display_name,
        unit=UnitBrief(id=user.unit.id, name=user.unit.name, short_name=user.unit.short_name),
        roles=list(user.roles), permissions=sorted(permissions_for(user.roles)),  # type: ignore[arg-type]
        title=user.title, is_chief=user.is_chief,
    )


@router.post("/password", operation_id="auth-change-password", status_code=204)
def change_password(data: PasswordChange, session: SessionDep, current: CurrentUserDep) -> None:
    """Change one's own password; other sessions are signed out."""
    service.change_password(session, get_settings(), current, data.current_password, data.new_password)
