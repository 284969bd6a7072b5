"""HTTP wiring of the task API (SPEC §11); rules live in service, lifecycle, read and tree."""

import json
from typing import Annotated, Any

from fastapi import Header, Query, Response
from sqlalchemy.orm import Session

from luoshi import etags, rendered
from luoshi.db import SessionDep
from luoshi.downloads import XLSX, content_disposition
from luoshi.permissions import Permission
from luoshi.routing import Router
from luoshi.security import CredentialsDep, CurrentUser, CurrentUserDep, in_one_trip, require
from luoshi.tasks import ledger, lifecycle, read, service
from luoshi.tasks.deadline_state import DeadlineClock
from luoshi.tasks.filters import TaskFiltersDep
from luoshi.tasks.schemas import (
    TaskCreate,
    TaskEventRead,
    TaskPage,
    TaskRead,
    TaskTreeNode,
    TaskUpdate,
    TransitionRequest,
    WaiveRequest,
)
from luoshi.tasks.scope import load_visible_task, task_scope
from luoshi.tasks.tree import TAG_STAMPS, etag, load_tree, visible_top
from luoshi.tasks.tree_cache import TREES

router = Router(prefix="/api/v1/tasks", tags=["tasks"])

IfMatch = Annotated[str | None, Header(description="The task's `version`, as read")]


@router.get("", operation_id="tasks-list", response_model=TaskPage)
async def list_tasks(
    session: SessionDep,
    filters: TaskFiltersDep,
    credentials: CredentialsDep,
    cursor: Annotated[str | None, Query(description="From `next_cursor` of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    """Tasks the caller may see, newest first, filtered."""
    # Async, with the caller, the reads, the answer's encoding and the commit in one trip to
    # the thread pool (docs/CONVENTIONS.md).
    return await in_one_trip(session, credentials, read.list_tasks, filters, cursor=cursor, limit=limit,
                             permission=Permission.tasks_read)


@router.get("/ledger.xlsx", operation_id="tasks-ledger-export", response_class=Response,
            responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
                             "description": "The ledger workbook (Content-Disposition names the file)"},
                       422: {"description": "A bad filter, or more tasks than one export holds"}})
def export_ledger(
    session: SessionDep,
    filters: TaskFiltersDep,
    current: CurrentUser = require(Permission.tasks_read),
) -> Response:
    """The task ledger (台账) as xlsx: the list's filters and scope, in tree order (each root, then its subtree)."""
    book = ledger.export(session, current, filters)
    return Response(book.content, media_type=XLSX, headers={
        "Content-Disposition": content_disposition(book.filename, book.ascii_filename),
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    })


@router.post("", operation_id="tasks-create", response_model=TaskRead, status_code=201)
def create_task(data: TaskCreate, session: SessionDep, current: CurrentUserDep):
    """Create a root task (supervisor), or decompose one with `parent_id` (its lead unit or a supervisor)."""
    task = service.create_task(session, current, data)
    return read.detail(session, current, task.id)


@router.get("/{task_id}", operation_id="tasks-get", response_model=TaskRead)
async def get_task(task_id: int, session: SessionDep, credentials: CredentialsDep) -> Response:
    """One task with every unit's row, its milestones, ancestors and the caller's allowed actions."""
    return await in_one_trip(session, credentials, read.detail, task_id)


@router.patch("/{task_id}", operation_id="tasks-update", response_model=TaskRead)
def update_task(task_id: int, data: TaskUpdate, session: SessionDep, current: CurrentUserDep,
                if_match: IfMatch = None):
    """Edit a task; send `If-Match: <version>` (412 when it changed meanwhile, 428 when missing)."""
    task = service.update_task(session, current, task_id, data, if_match)
    return read.detail(session, current, task.id)


@router.get("/{task_id}/tree", operation_id="tasks-tree", response_model=TaskTreeNode,
            responses={304: {"description": "Unchanged since the ETag sent in If-None-Match"}})
async def get_tree(task_id: int, session: SessionDep, credentials: CredentialsDep,
                   if_none_match: Annotated[str | None, Header()] = None,
                   accept_encoding: Annotated[str | None, Header()] = None) -> Response:
    """The whole subtree in one response, each node with its roll-ups; honours If-None-Match
    and sends it gzip-compressed to clients that accept it (a 10,000-node tree is ~5 MB)."""
    # With a tag sent, the tree's stamps are read with the caller (``_tree_response``).
    return await in_one_trip(session, credentials, _tree_response, task_id, if_none_match,
                             rendered.accepts_gzip(accept_encoding),
                             alongside=TAG_STAMPS if if_none_match else (), alongside_params={"task_id": task_id})


def _tree_response(session: Session, current: CurrentUser, task_id: int, if_none_match: str | None,
                   gzip: bool) -> Response:
    scope = task_scope(session, current)
    clock = DeadlineClock.now()
    held = current.alongside  # the tree's stamps, read with the caller when the client sent a tag
    if held is not None:
        # Only this caller could have been sent this tag, for a task it could see, in this
        # state (``luoshi.etags``): unchanged, it is answered without reading the task.
        tag = etag(scope, task_id, held.tree_stamp, held.units_stamp, clock)
        if etags.matches(if_none_match, tag):
            return rendered.not_modified(tag)
    task = visible_top(session, scope, task_id)
    tag = etag(scope, task.id, task.tree_stamp, task.units_stamp, clock)
    if etags.matches(if_none_match, tag):
        return rendered.not_modified(tag)
    body = TREES.get(tag, lambda: rendered.Rendered(json.dumps(
        load_tree(session, scope, task, clock), ensure_ascii=False, separators=(",", ":")).encode()))
    return rendered.send(body, tag, gzip)


@router.post("/{task_id}/transitions", operation_id="tasks-transition", response_model=TaskRead)
def transition(task_id: int, data: TransitionRequest, session: SessionDep, current: CurrentUserDep,
               if_match: IfMatch = None):
    """Move the task through the closed loop: issue, sign, submit, approve, return, suspend, resume, cancel, reopen."""
    task = lifecycle.transition(session, current, task_id, data, if_match)
    return read.detail(session, current, task.id)


@router.get("/{task_id}/events", operation_id="tasks-events", response_model=list[TaskEventRead])
async def list_events(task_id: int, session: SessionDep, credentials: CredentialsDep) -> Response:
    """The task's history, oldest first."""
    return await in_one_trip(session, credentials, _events, task_id)


def _events(session: Session, current: CurrentUser, task_id: int) -> list[dict[str, Any]]:
    return read.events(session, load_visible_task(session, current, task_id))


@router.post("/{task_id}/assignments/{assignment_id}/waive", operation_id="tasks-assignment-waive",
             response_model=TaskRead)
def waive_assignment(task_id: int, assignment_id: int, data: WaiveRequest, session: SessionDep,
                     current: CurrentUserDep, if_match: IfMatch = None):
    """Excuse a cooperating unit from reporting its part (supervisor, with a reason)."""
    task = lifecycle.waive(session, current, task_id, assignment_id, data, if_match)
    return read.detail(session, current, task.id)
