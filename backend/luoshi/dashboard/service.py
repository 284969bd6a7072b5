"""The dashboard (领导驾驶舱): what a leader or supervisor sees at a glance, for their scope."""

from typing import Any

from sqlalchemy.orm import Session

from luoshi.dashboard import repository as repo
from luoshi.dashboard.schemas import Dashboard, DeadlineCount, KeyWork, MonthCount, StatusCount, UnitLoad
from luoshi.security import CurrentUser
from luoshi.tasks.deadline_state import DeadlineClock
from luoshi.tasks.scope import task_scope

UNIT_ROWS = 15
# Every unit of a city (spec: 100–500); a supervisor urges each late one from the console.
LATE_UNIT_ROWS = 500
MONTHS = 24
KEY_WORKS = 50


def _unit_load(row: Any) -> UnitLoad:
    return UnitLoad(unit_id=row.lead_unit_id, unit_name=row.short_name, open=row.open,
                    due_soon=int(row.due_soon), overdue=int(row.overdue))


def dashboard(session: Session, current: CurrentUser) -> Dashboard:
    visible = task_scope(session, current).clause()
    clock = DeadlineClock.now()
    statuses = repo.by_status(session, visible)
    return Dashboard(
        total=sum(n for _, n in statuses),
        by_status=[StatusCount(status=s, count=n) for s, n in statuses],
        by_deadline_state=[DeadlineCount(deadline_state=s, count=n)
                           for s, n in repo.by_deadline_state(session, visible, clock).items()],
        units=[_unit_load(r) for r in repo.units(session, visible, clock, UNIT_ROWS)],
        late_units=[_unit_load(r) for r in repo.units(session, visible, clock, LATE_UNIT_ROWS, late_only=True)],
        months=[MonthCount(month=f"{int(r.y):04d}-{int(r.m):02d}", completed=int(r.completed), open=int(r.open))
                for r in repo.months(session, visible, MONTHS)],
        key_works=[KeyWork(id=r.id, title=r.title, lead_unit_name=r.lead_unit_name, status=r.status,
                           deadline=r.deadline_date, progress=r.progress,
                           deadline_state=clock.state(r.status, r.deadline_date, r.completed_on_time))
                   for r in repo.key_works(session, visible, KEY_WORKS)],
    )
