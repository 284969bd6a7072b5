"""Tasks placed straight into the database in the state a test needs, so these domains are
tested without replaying the whole closed loop each time."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.clock import utcnow
from luoshi.org.models import Unit
from luoshi.tasks.models import Assignment, AssignmentState, Capacity, Task, TaskStatus
from luoshi.users.models import User


def unit(db: Session, code: str) -> Unit:
    return db.execute(select(Unit).where(Unit.code == code)).scalar_one()


def user(db: Session, username: str) -> User:
    return db.execute(select(User).where(User.username == username)).scalar_one()


def make_task(
    db: Session,
    *,
    title: str = "推进城市更新项目",
    lead: str = "WH-ZJJ",
    cooperating: tuple[str, ...] = ("WH-SWJ", "WH-ZWJ"),
    status: TaskStatus = TaskStatus.in_progress,
    issuer: str = "WH-DCS",
    leader: str | None = "vicemayor",
    deadline: date | None = None,
    parent: Task | None = None,
    lead_state: AssignmentState | None = None,
    cooperating_state: AssignmentState = AssignmentState.signed,
) -> Task:
    now = utcnow()
    started = status != TaskStatus.assigned
    task = Task(
        title=title, content="按要求推进", issuer_unit_id=unit(db, issuer).id,
        lead_unit_id=unit(db, lead).id, leader_id=user(db, leader).id if leader else None,
        deadline_date=deadline or (now.date() + timedelta(days=30)), status=status, path="",
        parent_id=parent.id if parent else None, depth=parent.depth + 1 if parent else 0,
        issued_at=now, signed_at=now if started else None,
    )
    task.original_deadline_date = task.deadline_date
    db.add(task)
    db.flush()
    task.path = f"{parent.path if parent else '/'}{task.id}/"
    task.root_id = parent.root_id if parent else task.id
    state = lead_state or (AssignmentState.signed if started else AssignmentState.assigned)
    db.add(Assignment(task_id=task.id, unit_id=task.lead_unit_id, capacity=Capacity.lead, state=state,
                      assigned_at=now, signed_at=now if state == AssignmentState.signed else None))
    for code in cooperating:
        db.add(Assignment(task_id=task.id, unit_id=unit(db, code).id, capacity=Capacity.cooperating,
                          state=cooperating_state, assigned_at=now))
    db.commit()
    return task


def assignment(db: Session, task: Task, code: str) -> Assignment:
    db.expire_all()
    return db.execute(select(Assignment).where(
        Assignment.task_id == task.id, Assignment.unit_id == unit(db, code).id)).scalar_one()
