"""Reactions to the task core's transitions, in the same transaction (``lifecycle.AFTER``).

Issue creates the obligations and tells the units; every other move re-plans the task so
sign-for, submission, suspension, resumption, cancellation and reopening show at once. The
task-event consumer in ``reconcile`` does the same later and finds nothing left to do.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.clock import utcnow
from luoshi.deadlines.reconcile import reconcile
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.service import send
from luoshi.permissions import Role
from luoshi.tasks.lifecycle import AFTER, Move
from luoshi.tasks.transitions import Action
from luoshi.users.models import User, UserRole


def unit_liaisons(session: Session, unit_ids: list[int]) -> list[int]:
    return list(session.execute(
        select(User.id).join(UserRole, UserRole.user_id == User.id)
        .where(User.unit_id.in_(unit_ids), UserRole.role == Role.unit_staff.value, User.is_active.is_(True))
    ).scalars())


def _replan(move: Move) -> None:
    ids = [move.task.id, *move.payload.get("cascaded", [])]
    resumed = {move.task.id: utcnow()} if move.row.action == Action.resume else None
    reconcile(move.session, ids, resumed)


def _issued(move: Move) -> None:
    _replan(move)
    task = move.task
    units = [a.unit_id for a in task.assignments]
    deadline = task.deadline_date.isoformat() if task.deadline_date else "未定"
    send(move.session, unit_liaisons(move.session, units), kind=NotificationKind.task_issued,
         title=f"【交办】{task.title}", body=f"请于1个工作日内签收；办理时限：{deadline}",
         task_id=task.id, urgent=False)


def install() -> None:
    for action in Action:
        hooks = AFTER[action]
        wanted = _issued if action == Action.issue else _replan
        if wanted not in hooks:
            hooks.append(wanted)


install()
