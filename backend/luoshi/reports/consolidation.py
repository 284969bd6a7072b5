"""The lead unit's report pre-filled from its cooperating units' parts (seed 002: no retyping)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.org.models import Unit
from luoshi.org.schemas import UnitBrief
from luoshi.reports import repository as repo
from luoshi.reports.models import ReportKind
from luoshi.reports.schemas import Consolidation, ConsolidationSource
from luoshi.tasks.access import TaskContext
from luoshi.tasks.models import Assignment, Capacity

JOINED_FIELDS = ("progress_text", "problems", "next_steps", "support_needed", "highlights_good", "highlights_bad")


def consolidate(session: Session, ctx: TaskContext, kind: ReportKind) -> Consolidation:
    """Each text field lists every cooperating unit's text under its short name; percent done is
    the mean of the parts that gave one (the lead unit adjusts it for its own share)."""
    units = session.execute(
        select(Unit).join(Assignment, Assignment.unit_id == Unit.id)
        .where(Assignment.task_id == ctx.task.id, Assignment.capacity == Capacity.cooperating)
        .order_by(Assignment.id)
    ).scalars().all()
    parts = repo.latest_sent_parts(session, ctx.task.id)
    sources, used = [], []
    texts: dict[str, list[str]] = {name: [] for name in JOINED_FIELDS}
    percents = []
    for unit in units:
        part = parts.get(unit.id)
        sources.append(ConsolidationSource(
            unit=UnitBrief.model_validate(unit), report_id=part.id if part else None,
            status=part.status if part else None, submitted_at=part.submitted_at if part else None,
        ))
        if part is None:
            continue
        used.append(part.id)
        for name in JOINED_FIELDS:
            text = getattr(part, name).strip()
            if text:
                texts[name].append(f"【{unit.short_name}】{text}")
        if part.percent_done is not None:
            percents.append(part.percent_done)
    return Consolidation(
        kind=kind,
        percent_done=round(sum(percents) / len(percents)) if percents else None,
        source_report_ids=used,
        sources=sources,
        missing_unit_ids=[s.unit.id for s in sources if s.report_id is None],
        **{name: "\n".join(lines) for name, lines in texts.items()},
    )
