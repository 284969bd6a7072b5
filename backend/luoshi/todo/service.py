"""Merging every domain's to-do into the groups the caller sees."""

from sqlalchemy.orm import Session

from luoshi.security import CurrentUser
from luoshi.todo.registry import PROVIDERS
from luoshi.todo.schemas import TodoGroup, TodoItem, TodoKind, TodoRead


def _urgency(item: TodoItem) -> tuple:
    return (item.due_date is None, item.due_date, item.since is None, item.since, item.ref_id)


def todo(session: Session, current: CurrentUser, limit: int) -> TodoRead:
    counts = {kind: 0 for kind in TodoKind}
    items: dict[TodoKind, list[TodoItem]] = {kind: [] for kind in TodoKind}
    for provider in PROVIDERS:
        for group in provider(session, current, limit):
            counts[group.kind] += group.count
            items[group.kind].extend(group.items)
    groups = [TodoGroup(kind=k, count=counts[k], items=sorted(items[k], key=_urgency)[:limit])
              for k in TodoKind]
    return TodoRead(total=sum(counts.values()), groups=groups)
