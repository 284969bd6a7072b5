"""The report's closed loop as data: which action moves which status, and who may take it."""

from enum import StrEnum

from luoshi.reports.models import ReportStatus


class ReportAction(StrEnum):
    submit = "submit"  # 报送 (through 单位把关 when the office requires it)
    approve_unit = "approve_unit"  # 单位负责人审核通过
    return_unit = "return_unit"  # 单位负责人退回修改
    accept = "accept"  # 采纳
    return_ = "return"  # 退回


class Actor(StrEnum):
    """In what capacity the caller must act."""

    author = "author"  # a member of the reporting unit (tasks:handle)
    unit_head = "unit_head"  # the reporting unit's head (reports:approve_unit)
    recipient = "recipient"  # the lead unit for a cooperating part; the office for the lead's report


S, A = ReportStatus, ReportAction
TRANSITIONS: dict[tuple[ReportStatus, ReportAction], ReportStatus] = {
    (S.draft, A.submit): S.submitted,
    (S.returned, A.submit): S.submitted,
    (S.pending_unit_approval, A.approve_unit): S.submitted,
    (S.pending_unit_approval, A.return_unit): S.returned,
    (S.submitted, A.accept): S.accepted,
    (S.submitted, A.return_): S.returned,
}
WHO: dict[ReportAction, Actor] = {
    A.submit: Actor.author,
    A.approve_unit: Actor.unit_head,
    A.return_unit: Actor.unit_head,
    A.accept: Actor.recipient,
    A.return_: Actor.recipient,
}
# The event each action writes on the task's history.
EVENTS: dict[ReportAction, str] = {
    A.submit: "report_submitted",
    A.approve_unit: "report_unit_approved",
    A.return_unit: "report_unit_returned",
    A.accept: "report_accepted",
    A.return_: "report_returned",
}
REASON_REQUIRED = frozenset({A.return_unit, A.return_})


def target(status: ReportStatus, action: ReportAction) -> ReportStatus | None:
    return TRANSITIONS.get((status, action))
