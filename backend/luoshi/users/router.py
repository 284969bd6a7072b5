from typing import Annotated

from fastapi import Query

from luoshi.db import SessionDep
from luoshi.pagination import Page
from luoshi.permissions import Permission, Role
from luoshi.routing import Router
from luoshi.security import CurrentUser, require
from luoshi.users import service
from luoshi.users.schemas import UserCreate, UserRead, UserUpdate

router = Router(prefix="/api/v1/users", tags=["users"])


@router.get("", operation_id="users-list", response_model=Page[UserRead])
def list_users(
    session: SessionDep,
    current: CurrentUser = require(Permission.users_read),
    unit_id: Annotated[int | None, Query(description="Only users of this unit")] = None,
    role: Annotated[Role | None, Query(description="Only users holding this role")] = None,
    q: Annotated[str | None, Query(max_length=64, description="Username or name contains")] = None,
    cursor: Annotated[str | None, Query(description="From `next_cursor` of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    """Users the caller may see, by id."""
    items, next_cursor = service.list_users(
        session, current, unit_id=unit_id, role=role.value if role else None, q=q,
        cursor=cursor, limit=limit,
    )
    return {"items": items, "next_cursor": next_cursor}


@router.post("", operation_id="users-create", response_model=UserRead, status_code=201)
def create_user(
    data: UserCreate, session: SessionDep, current: CurrentUser = require(Permission.users_write)
):
    """Create a user with a unit and roles."""
    return service.create_user(session, current, data)


@router.get("/{user_id}", operation_id="users-get", response_model=UserRead)
def get_user(user_id: int, session: SessionDep, current: CurrentUser = require(Permission.users_read)):
    """One user."""
    return service.get_user(session, current, user_id)


@router.patch("/{user_id}", operation_id="users-update", response_model=UserRead)
def update_user(
    user_id: int, data: UserUpdate, session: SessionDep,
    current: CurrentUser = require(Permission.users_write),
):
    """Change a user's details, roles or status, or reset the password."""
    return service.update_user(session, current, user_id, data)


@router.post("/{user_id}/unlock", operation_id="users-unlock", response_model=UserRead)
def unlock_user(user_id: int, session: SessionDep, current: CurrentUser = require(Permission.users_unlock)):
    """Lift a lockout before it runs out (security officer)."""
    return service.unlock_user(session, current, user_id)


@router.post("/{user_id}/revoke-sessions", operation_id="users-revoke-sessions", status_code=204)
def revoke_sessions(
    user_id: int, session: SessionDep, current: CurrentUser = require(Permission.sessions_revoke)
) -> None:
    """Sign the user out everywhere (security officer)."""
    service.revoke_user_sessions(session, current, user_id)
