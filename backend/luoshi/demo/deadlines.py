"""Demo deadlines and supervision: obligations for every issued task with today's colours and
notifications, a formal notice and a reminder, a leader's instruction, a coordination request
and a delegation, so each screen of the deadline side has something to show."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from luoshi.clock import utcnow
from luoshi.deadlines import scan
from luoshi.deadlines.models import ScanCursor
from luoshi.deadlines.reconcile import CURSOR, reconcile
from luoshi.delegation import service as delegation
from luoshi.security import CurrentUser
from luoshi.supervision import actions, coordination, instructions
from luoshi.supervision.schemas import ActionCreate, CoordinationCreate
from luoshi.tasks.models import Capacity, Task, TaskEvent, TaskStatus
from luoshi.users.models import User


def _as(session: Session, username: str) -> CurrentUser:
    user = session.execute(select(User).where(User.username == username)).scalar_one()
    return CurrentUser.of(user)


def load_deadlines(session: Session) -> None:
    issued = list(session.execute(select(Task.id).where(Task.issued_at.isnot(None))).scalars())
    reconcile(session, issued)
    newest = session.execute(select(TaskEvent.id).order_by(TaskEvent.id.desc()).limit(1)).scalar()
    session.add(ScanCursor(name=CURSOR, position=newest or 0, updated_at=utcnow()))
    session.flush()
    scan.tick(session)
    running = list(session.execute(
        select(Task).where(Task.status.in_((TaskStatus.in_progress, TaskStatus.assigned)),
                           Task.deadline_date.isnot(None), Task.lead_unit_id.isnot(None))
        .options(selectinload(Task.assignments)).order_by(Task.deadline_date, Task.id)
    ).scalars())
    supervisor = _as(session, "supervisor")
    office_tasks = [t for t in running if t.issuer_unit_id == supervisor.unit_id]
    if office_tasks:
        late = office_tasks[0]
        actions.create(session, supervisor, late.id, ActionCreate(
            unit_id=late.lead_unit_id, level="notice",  # type: ignore[arg-type]
            content="该事项进度滞后于序时进度，请书面说明原因及整改措施。"))
        if len(office_tasks) > 1:
            actions.create(session, supervisor, office_tasks[1].id, ActionCreate(
                unit_id=office_tasks[1].lead_unit_id, level="reminder",  # type: ignore[arg-type]
                content="办理时限临近，请按时回告办理情况。"))
    vicemayor = _as(session, "vicemayor")
    led = [t for t in running if t.leader_id == vicemayor.id]
    if led:
        instructions.issue(session, vicemayor, led[0], "请牵头单位专题研究，加快推进并按期报告进展。", None)
    for task in running:
        coop = [a.unit_id for a in task.assignments if a.capacity == Capacity.cooperating]
        lead_users = session.execute(select(User.username).where(User.unit_id == task.lead_unit_id)).scalars().all()
        liaison = next((u for u in lead_users if u.endswith("_liaison")), None)
        if coop and liaison:
            coordination.create(session, _as(session, liaison), task.id, CoordinationCreate(
                subject="跨部门数据共享", content="项目审批数据需配合单位开放接口，请督查室协调。",
                consultation="已于上周与配合单位召开会商会，对数据口径仍有分歧，需上级协调。",
                consulted_unit_ids=coop[:1]))
            break
    head = _as(session, "zjj_head")
    substitute = session.execute(select(User.id).where(User.username == "zjj_liaison")).scalar_one()
    now = utcnow()
    delegation.create(session, head, substitute, now - timedelta(hours=1), now + timedelta(days=7), "出差期间代管")
