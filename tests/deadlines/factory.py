"""Tasks made straight in the database, as the task core's issue would leave them."""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.clock import utcnow
from luoshi.org.models import Unit
from luoshi.tasks.models import Assignment, Task, TaskEvent
from luoshi.users.models import User


def unit(db: Session, code: str) -> Unit:
    return db.execute(select(Unit).where(Unit.code == code)).scalar_one()


def user(db: Session, username: str) -> User:
    return db.execute(select(User).where(User.username == username)).scalar_one()


def issued_task(db: Session, *, deadline: date | None, cycle: str = "once", lead: str = "WH-ZJJ",
                cooperating: tuple[str, ...] = ("WH-FGW",), leader: str | None = "vicemayor",
                dates: list[str] | None = None, title: str = "老旧小区改造") -> Task:
    now = utcnow()
    issuer = unit(db, "WH-DCS")
    lead_unit = unit(db, lead)
    task = Task(title=title, path="", issuer_unit_id=issuer.id, lead_unit_id=lead_unit.id,
                leader_id=user(db, leader).id if leader else None, deadline_date=deadline,
                original_deadline_date=deadline, feedback_cycle=cycle, feedback_dates=dates or [],
                status="assigned", issued_at=now, created_by_id=user(db, "supervisor").id)
    db.add(task)
    db.flush()
    task.path, task.root_id = f"/{task.id}/", task.id
    db.add(Assignment(task_id=task.id, unit_id=lead_unit.id, capacity="lead", assigned_at=now))
    for code in cooperating:
        db.add(Assignment(task_id=task.id, unit_id=unit(db, code).id, capacity="cooperating",
                          assigned_at=now))
    event(db, task, "issue", "draft", "assigned")
    return task


def event(db: Session, task: Task, action: str, from_status: str | None = None,
          to_status: str | None = None, at: datetime | None = None) -> None:
    db.add(TaskEvent(task_id=task.id, action=action, from_status=from_status, to_status=to_status,
                     at=at or utcnow(), payload={}))
    db.flush()
