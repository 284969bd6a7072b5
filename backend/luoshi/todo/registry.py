"""What waits on a user (我的待办), gathered from every domain.

A domain registers a provider: ``fn(session, current, limit) -> list[TodoGroup]`` (one group per
kind it knows about, with the full count and at most ``limit`` items). Each provider should
cost a fixed number of queries whatever the data, so the to-do stays cheap on a phone.
"""

from collections.abc import Callable

from sqlalchemy.orm import Session

from luoshi.security import CurrentUser
from luoshi.todo.schemas import TodoGroup

Provider = Callable[[Session, CurrentUser, int], list[TodoGroup]]
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    PROVIDERS.append(provider)
    return provider
