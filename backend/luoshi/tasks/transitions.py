"""The closed loop as data: who may do what to a task, and to one unit's assignment, in which state.

Every status change of a task or an assignment goes through these tables: the service looks the
move up here, the API lists ``allowed_actions`` from here, and the tests walk the whole matrix.
"""

from dataclasses import dataclass
from enum import StrEnum

from luoshi.tasks.models import AssignmentState as A
from luoshi.tasks.models import TaskStatus as S


class Action(StrEnum):
    issue = "issue"  # 交办
    sign = "sign"  # 签收
    submit = "submit"  # 申请办结
    approve = "approve"  # 办结
    return_ = "return"  # 退回重办
    suspend = "suspend"  # 暂缓
    resume = "resume"  # 恢复办理
    cancel = "cancel"  # 撤销
    reopen = "reopen"  # 重新办理


class Party(StrEnum):
    """Who the caller is with respect to one task."""

    supervisor = "supervisor"  # a supervisor whose jurisdiction covers the issuing unit
    issuing_unit = "issuing_unit"  # the unit that decomposed the task to a sub-unit (上级承办单位)
    lead = "lead"  # the lead unit's staff (牵头单位)
    cooperating = "cooperating"  # a cooperating unit's staff (配合单位)


# The status before the suspension (kept on the task) is where `resume` goes back to.
PREVIOUS = "previous"

MANAGERS = frozenset({Party.supervisor, Party.issuing_unit})
LEAD = frozenset({Party.lead})
COOPERATING = frozenset({Party.cooperating})


@dataclass(frozen=True)
class Transition:
    action: Action
    source: S
    # None: the task stays where it is (a cooperating unit signs only its own assignment).
    target: S | str | None
    by: frozenset[Party]
    reason_required: bool = False


def _t(action: Action, source: S, target: S | str | None, by: frozenset[Party],
       reason: bool = False) -> Transition:
    return Transition(action, source, target, by, reason)


TRANSITIONS: tuple[Transition, ...] = (
    _t(Action.issue, S.draft, S.assigned, MANAGERS),
    _t(Action.sign, S.assigned, S.in_progress, LEAD),
    _t(Action.sign, S.assigned, None, COOPERATING),
    _t(Action.sign, S.in_progress, None, COOPERATING),
    _t(Action.sign, S.pending_review, None, COOPERATING),
    _t(Action.submit, S.in_progress, S.pending_review, LEAD),
    _t(Action.approve, S.pending_review, S.completed, MANAGERS),
    _t(Action.return_, S.pending_review, S.in_progress, MANAGERS, reason=True),
    _t(Action.suspend, S.assigned, S.suspended, MANAGERS, reason=True),
    _t(Action.suspend, S.in_progress, S.suspended, MANAGERS, reason=True),
    _t(Action.resume, S.suspended, PREVIOUS, MANAGERS, reason=True),
    *(_t(Action.cancel, s, S.cancelled, MANAGERS, reason=True)
      for s in (S.draft, S.assigned, S.in_progress, S.pending_review, S.suspended)),
    _t(Action.reopen, S.completed, S.in_progress, MANAGERS, reason=True),
)

# Which parties may ever take an action: outside these the answer is 403 whatever the status.
ACTION_PARTIES: dict[Action, frozenset[Party]] = {
    action: frozenset().union(*(t.by for t in TRANSITIONS if t.action == action))
    for action in Action
}


def find(status: str, action: Action, parties: frozenset[Party]) -> Transition | None:
    """The row for this status and action that one of the caller's parties may take."""
    for row in TRANSITIONS:
        if row.source == status and row.action == action and row.by & parties:
            return row
    return None


def allowed_actions(status: str, parties: frozenset[Party], own_state: str | None) -> list[str]:
    """The actions the caller may take now; ``own_state`` is the caller's unit's assignment."""
    out: list[str] = []
    for row in TRANSITIONS:
        if row.source != status or not row.by & parties or row.action in out:
            continue
        if row.action == Action.sign and own_state != A.assigned:
            continue
        out.append(row.action.value)
    return out


class AssignmentAction(StrEnum):
    sign = "sign"  # 签收
    report = "report"  # 配合单位报送（由回告模块调用）
    part_returned = "part_returned"  # 牵头单位退回配合单位的报送
    dispute = "dispute"  # 退回交办申请（由异议模块调用）
    dispute_rejected = "dispute_rejected"  # 异议被驳回，须签收
    waive = "waive"  # 督查员豁免配合单位回告
    complete = "complete"  # 事项办结
    reopen = "reopen"  # 退回重办 / 重新办理


@dataclass(frozen=True)
class AssignmentTransition:
    action: AssignmentAction
    source: A
    target: A


ASSIGNMENT_TRANSITIONS: tuple[AssignmentTransition, ...] = tuple(
    AssignmentTransition(action, source, target)
    for action, sources, target in (
        (AssignmentAction.sign, (A.assigned,), A.signed),
        (AssignmentAction.report, (A.assigned, A.signed, A.reported), A.reported),
        (AssignmentAction.part_returned, (A.reported,), A.signed),
        (AssignmentAction.dispute, (A.assigned,), A.disputed),
        (AssignmentAction.dispute_rejected, (A.disputed,), A.assigned),
        (AssignmentAction.waive, (A.assigned, A.signed, A.disputed), A.waived),
        (AssignmentAction.complete, (A.assigned, A.signed, A.reported), A.done),
        (AssignmentAction.reopen, (A.done,), A.signed),
    )
    for source in sources
)


def assignment_target(state: str, action: AssignmentAction) -> A | None:
    for row in ASSIGNMENT_TRANSITIONS:
        if row.source == state and row.action == action:
            return row.target
    return None
