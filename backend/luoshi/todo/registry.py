"""What waits on a user (我的待办), gathered from every domain.

A domain registers a provider: ``fn(session, current) -> list[TodoPart]``. The provider keeps
the domain's rules (who finds what in their to-do) and returns queries, not rows: the to-do
service runs every part of every domain as one SQL statement, because on this endpoint the
cost of each statement in Python, not the SQL, was what the caller waited for. A provider
must therefore not execute anything itself.

The service keeps a caller's parts and their statement for the day (``luoshi.memo``): a
provider must depend only on the caller (scope, roles, permissions), the day and the settings,
and nothing it returns may hold the session.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, Select, String
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from luoshi.db import UTCDateTime
from luoshi.security import CurrentUser
from luoshi.tasks.models import DeadlineState
from luoshi.todo.schemas import TodoKind

# The labelled columns every part selects, and the types they are read back as.
COLUMNS: dict[str, TypeEngine[Any]] = {
    "ref_type": String(), "ref_id": Integer(), "task_id": Integer(), "title": String(),
    "status": String(), "unit_id": Integer(), "due_date": Date(), "since": UTCDateTime(),
}


@dataclass(frozen=True)
class TodoPart:
    """One query's worth of one kind of to-do item.

    ``select`` has the columns of ``COLUMNS``, labelled so (others are ignored): ``status`` is
    the task's status, or ``cast(null(), String)`` where the part's state does not depend on
    it, and a part without a due date selects ``cast(null(), Date)`` (PostgreSQL needs the
    types to match across the UNION). ``unit_id`` is the unit concerned; the service names it,
    so no part joins ``units``: on a unit's to-do, where it is nearly always the caller's own
    unit, those joins were about a tenth of the statement's cost in PostgreSQL. ``order`` is the
    part's urgency, most urgent first, over the part's own tables: the service keeps that many
    rows of each part as the caller asked for. ``state`` turns a result row (a ``db.records``
    named tuple) into the item's ``deadline_state``.

    ``ref_id`` is the primary key of the part's own table, and ``select`` reads from that table
    alone or joined to its task (one FROM): the service ranks the rows by their ids and urgency,
    then reads the rows it keeps again by id, through the same FROM.
    """

    kind: TodoKind
    select: Select[Any]
    order: tuple[ColumnElement[Any], ...]
    state: Callable[[Any], DeadlineState | None]


Provider = Callable[[Session, CurrentUser], list[TodoPart]]
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    PROVIDERS.append(provider)
    return provider
