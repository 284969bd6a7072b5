"""The closed loop as data: who may do what to a task, and to one unit's assignment, in which state.

Every status change of a task or an assignment goes through these tables: the service looks the
move up here, the API lists ``allowed_actions`` from here, and the tests walk the whole matrix.
The requests a task takes without changing its status (report, extension, dispute, decompose,
edit, supervision) have their own table, ``REQUESTS``, read the same way by their services.
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from luoshi.permissions import Permission
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


def transition_actions(status: str, parties: frozenset[Party], own_state: str | None) -> list[str]:
    """The transitions the caller may take now; ``own_state`` is the caller's unit's assignment."""
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


class Request(StrEnum):
    """What a caller asks of a task without moving its status; each has its own endpoint."""

    edit = "edit"  # 修改 (the lead unit: progress and milestones only)
    decompose = "decompose"  # 分解
    report = "report"  # 填报进展 / 报送
    request_extension = "request_extension"  # 申请延期
    dispute = "dispute"  # 退回交办申请（非本单位职责）
    supervise = "supervise"  # 提醒、催办、督办单、约谈、通报、问责移送
    instruct = "instruct"  # 领导批示
    coordinate = "coordinate"  # 提请协调
    attach = "attach"  # 上传附件


@dataclass(frozen=True)
class RequestRule:
    action: Request
    statuses: frozenset[S]
    # None: anyone who sees the task in full (with the permission) may ask.
    by: frozenset[Party] | None
    permission: Permission | None
    # The caller's unit's assignment must be in one of these states.
    own_states: frozenset[A] | None = None
    # Only while the deadline has not passed (an extension is asked for in time).
    before_deadline: bool = False


OPEN = frozenset({S.draft, S.assigned, S.in_progress, S.pending_review, S.suspended})
ISSUED = OPEN - {S.draft}
SUPERVISOR = frozenset({Party.supervisor})


def _r(action: Request, statuses: frozenset[S] | set[S], by: frozenset[Party] | None,
       permission: Permission | None, own: set[A] | None = None, before_deadline: bool = False) -> RequestRule:
    return RequestRule(action, frozenset(statuses), by, permission,
                       frozenset(own) if own is not None else None, before_deadline)


SIGNED = {A.signed}
WORKING = {S.assigned, S.in_progress}


def _sources(action: AssignmentAction) -> set[A]:
    """The assignment states a request moves from: the assignment table says, not a copy."""
    return {row.source for row in ASSIGNMENT_TRANSITIONS if row.action == action}


REQUESTS: tuple[RequestRule, ...] = (
    _r(Request.edit, OPEN, MANAGERS, None),
    # The lead unit first signs for the task (or disputes it), which puts it in progress; then it
    # works on it. ``assigned`` is listed so that asking before signing says "sign first".
    _r(Request.edit, WORKING, LEAD, Permission.tasks_handle, own=SIGNED),
    _r(Request.decompose, OPEN - {S.pending_review}, SUPERVISOR, Permission.tasks_manage),
    _r(Request.decompose, WORKING, LEAD, Permission.tasks_decompose, own=SIGNED),
    _r(Request.report, {S.in_progress}, LEAD, Permission.tasks_handle, own=SIGNED),
    _r(Request.report, {S.in_progress}, COOPERATING, Permission.tasks_handle,
       own=_sources(AssignmentAction.report)),
    _r(Request.request_extension, WORKING, LEAD, Permission.tasks_handle, own=SIGNED,
       before_deadline=True),
    _r(Request.dispute, {S.assigned}, LEAD, Permission.tasks_handle, own=_sources(AssignmentAction.dispute)),
    _r(Request.supervise, ISSUED, SUPERVISOR, Permission.supervision_act),
    _r(Request.instruct, ISSUED, None, Permission.instructions_issue),
    _r(Request.coordinate, WORKING, LEAD, None, own=SIGNED),
    _r(Request.attach, OPEN, MANAGERS, None),
    _r(Request.attach, OPEN, LEAD | COOPERATING, Permission.tasks_handle),
)


def _may_ask(rule: RequestRule, parties: frozenset[Party], permissions: frozenset[Permission]) -> bool:
    return (rule.by is None or bool(rule.by & parties)) and (
        rule.permission is None or rule.permission in permissions)


class Refusal(StrEnum):
    forbidden = "forbidden"  # not this caller, whatever the task's state: 403
    conflict = "conflict"  # this caller, but not in the task's status (or past its deadline): 409
    own_state = "own_state"  # this caller and status, but not from the unit's own row's state: 409


def check_request(action: Request, status: str, parties: frozenset[Party], permissions: frozenset[Permission],
                  own_state: str | None, deadline_passed: bool = False) -> Refusal | None:
    """None when the caller may ask now; otherwise why not. Services turn the refusal into
    their own error code; ``allowed_actions`` lists exactly the requests that pass."""
    rules = [r for r in REQUESTS if r.action == action and _may_ask(r, parties, permissions)]
    if not rules:
        return Refusal.forbidden
    refusal = Refusal.conflict
    for rule in rules:
        if status not in rule.statuses or (rule.before_deadline and deadline_passed):
            continue
        if rule.own_states is None or own_state in rule.own_states:
            return None
        refusal = Refusal.own_state
    return refusal


TaskAction = StrEnum("TaskAction", {a.value: a.value for a in (*Action, *Request)})  # type: ignore[misc]
TaskAction.__doc__ = "A transition or a request the caller may take on a task."


def allowed_actions(status: str, parties: frozenset[Party], permissions: frozenset[Permission],
                    own_state: str | None, deadline_passed: bool = False) -> list[str]:
    """Everything the caller may do to the task now: transitions first, then requests."""
    return list(_allowed(status, parties, permissions, own_state, deadline_passed))


@lru_cache(maxsize=4096)
def _allowed(status: str, parties: frozenset[Party], permissions: frozenset[Permission],
             own_state: str | None, deadline_passed: bool) -> tuple[str, ...]:
    """The tables are constant, so the answer for one combination is too: a list page asks the
    same few combinations fifty times."""
    out = transition_actions(status, parties, own_state)
    out += [r.value for r in Request
            if check_request(r, status, parties, permissions, own_state, deadline_passed) is None]
    return tuple(out)
