"""What the supervision services share: the task as the caller sees it, dates, recipients."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.deadlines.calendar import add_working_days
from luoshi.deadlines.states import local_today
from luoshi.errors import Conflict, NotFound, Unprocessable
from luoshi.permissions import Role
from luoshi.security import CurrentUser
from luoshi.settings import get_settings
from luoshi.supervision import messages  # noqa: F401
from luoshi.tasks.models import CLOSED_STATUSES, Task, TaskStatus
from luoshi.tasks.scope import load_visible_task, task_scope
from luoshi.tasks.transitions import Party, Refusal, Request
from luoshi.users.models import User, UserRole


def visible(session: Session, current: CurrentUser, task_id: int) -> tuple[Task, frozenset[Party]]:
    task = load_visible_task(session, current, task_id)
    return task, task_scope(session, current).parties(task)


def asked(session: Session, current: CurrentUser, task_id: int, request: Request) -> tuple[Task, Refusal | None]:
    """The visible task and the task core's verdict on this request (``transitions.REQUESTS``);
    the caller raises its own 403, and a task not under way is 409 here."""
    task = load_visible_task(session, current, task_id)
    refusal = task_scope(session, current).check(request, task)
    return task, refusal


def require_under_way(refusal: Refusal | None) -> None:
    if refusal == Refusal.own_state:
        raise Conflict("task.sign_first")
    if refusal == Refusal.conflict:
        raise Conflict("supervision.task_closed")


def closed(task: Task) -> Conflict | None:
    """The 409 for a task not under way (a draft, completed or cancelled), or None."""
    if task.status in CLOSED_STATUSES or task.status == TaskStatus.draft:
        return Conflict("supervision.task_closed")
    return None


def require_open(task: Task) -> None:
    if (refusal := closed(task)) is not None:
        raise refusal


def answer_due(given: date | None, field: str) -> date:
    today = local_today()
    if given is None:
        return add_working_days(today, get_settings().formal_notice_answer_working_days)
    if given < today:
        raise Unprocessable(errors=[{"field": field, "message": {  # type: ignore[dict-item]
            "zh": "答复期限不能早于今天", "en": "the due date is in the past"}}])
    return given  # an explicit date needs no calendar; a computed default does (and may refuse)


def unit_people(session: Session, unit_ids: list[int], *roles: Role) -> list[int]:
    return list(session.execute(
        select(User.id).join(UserRole, UserRole.user_id == User.id)
        .where(User.unit_id.in_(unit_ids), UserRole.role.in_([r.value for r in roles]),
               User.is_active.is_(True)).distinct()
    ).scalars())


def not_found(code: str) -> NotFound:
    return NotFound(code)
