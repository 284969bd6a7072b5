"""Who decides an extension request (延期审批), stated once for the decision endpoint and the to-do.

The supervision office whose jurisdiction issued the task decides. With
``extension_decided_by=leader`` the leader in charge (分管领导) decides where the task names one,
and the office still decides where it names none. A caller also needs ``extensions:decide``.

``DECIDERS`` states that once: for each setting, the ways to be the decider, each a conjunction
of terms. A ``Term`` is one condition in two forms, side by side: a test on a task the caller
has loaded (the endpoint and ``allowed_actions``) and a SQL condition on ``Task`` (the to-do,
which lists requests without loading their tasks). ``may_decide`` and ``may_decide_where`` are
both derived from the table; tests/extensions/test_deciders.py checks that they give the same
answer for every kind of caller.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_

from luoshi.permissions import Permission
from luoshi.security import CurrentUser
from luoshi.settings import get_settings
from luoshi.tasks.access import TaskContext
from luoshi.tasks.models import Task
from luoshi.tasks.scope import TaskScope
from luoshi.tasks.transitions import Party

DECIDE = Permission.extensions_decide


@dataclass(frozen=True)
class Term:
    """One condition on a task and its caller, as a Python test and as SQL on ``Task``."""

    holds: Callable[[TaskContext], bool]
    where: Callable[[TaskScope], ColumnElement[bool]]


# The caller is the office for the task: its jurisdiction issued it (``Party.supervisor``).
OFFICE = Term(lambda ctx: Party.supervisor in ctx.parties, TaskScope.as_office)
# The caller is the task's leader in charge.
LEADER_IN_CHARGE = Term(lambda ctx: ctx.task.leader_id == ctx.scope.user_id,
                        lambda scope: Task.leader_id == scope.user_id)
# The task names no leader in charge.
NO_LEADER = Term(lambda ctx: ctx.task.leader_id is None, lambda scope: Task.leader_id.is_(None))

# Per ``Settings.extension_decided_by``: any of these ways, each one all of its terms.
DECIDERS: dict[str, tuple[tuple[Term, ...], ...]] = {
    "supervisor": ((OFFICE,),),
    "leader": ((LEADER_IN_CHARGE,), (NO_LEADER, OFFICE)),
}


def _ways() -> tuple[tuple[Term, ...], ...]:
    return DECIDERS[get_settings().extension_decided_by]


def may_decide(ctx: TaskContext, current: CurrentUser) -> bool:
    """Whether the caller decides the extension requests on this task."""
    return current.can(DECIDE) and any(all(term.holds(ctx) for term in way) for way in _ways())


def may_decide_where(scope: TaskScope, current: CurrentUser) -> ColumnElement[bool] | None:
    """``may_decide`` as a condition on ``Task``, or None when the caller decides none at all."""
    if not current.can(DECIDE):
        return None
    return or_(*(and_(*(term.where(scope) for term in way)) for way in _ways()))
