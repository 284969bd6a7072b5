"""The reports domain's part in the task's closed loop, plugged into ``luoshi.tasks.lifecycle``.

- ``submit`` (申请办结) needs the lead unit's completion report sent to the office;
- ``return`` (退回重办) sends that completion report back to the unit with the same reason, so
  it is revised before the next submission;
- ``approve`` (办结) accepts it.
"""

from luoshi.errors import Conflict
from luoshi.i18n import register
from luoshi.reports import repository as repo
from luoshi.reports.models import ReportStatus
from luoshi.reports.moves import completion_report_ready, move
from luoshi.reports.rules import ReportAction
from luoshi.settings import get_settings
from luoshi.tasks.lifecycle import AFTER, GUARDS, Move
from luoshi.tasks.transitions import Action

register({
    "reports.completion_required": {
        "zh": "申请办结前，请先报送办结报告", "en": "Send a completion report before asking for completion",
    },
})


def require_completion_report(m: Move) -> None:
    task = m.task
    if not get_settings().completion_report_required or task.lead_unit_id is None:
        return
    if not completion_report_ready(m.session, task.id, task.lead_unit_id):
        raise Conflict("reports.completion_required")


def _settle_completion_report(action: ReportAction):  # type: ignore[no-untyped-def]
    def hook(m: Move) -> None:
        if m.task.lead_unit_id is None:
            return
        report = repo.latest_completion(m.session, m.task.id, m.task.lead_unit_id)
        if report is not None and report.status == ReportStatus.submitted:
            move(m.session, m.actor, m.task, report, action,
                 ReportStatus.accepted if action == ReportAction.accept else ReportStatus.returned,
                 m.reason, payload={"with_task_action": action.value})
    return hook


def install() -> None:
    """Idempotent: the hooks are added once however often this module is imported."""
    if require_completion_report not in GUARDS[Action.submit]:
        GUARDS[Action.submit].append(require_completion_report)
        AFTER[Action.return_].append(_settle_completion_report(ReportAction.return_))
        AFTER[Action.approve].append(_settle_completion_report(ReportAction.accept))


install()
