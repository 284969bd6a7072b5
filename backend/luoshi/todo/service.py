"""Merging every domain's to-do into the groups the caller sees, in one SQL statement, and
keeping each answer under the change stamps of what it was read from.

A to-do is read from the loop's tables (``stamps.LOOP_TABLES``) and from ``units``, and, for
a caller, depends otherwise on the day alone. Each process keeps the answers it gave under
the loop's and the units' stamps (``luoshi.stamps``): until a write to one of those tables
moves a stamp, the caller's to-do is answered from memory, the stamps read in the caller's
own statement, and sent as 304 to a client that already holds it (``If-None-Match``).
"""

from datetime import date
from typing import Any

from fastapi import Response
from pydantic_core import to_json
from sqlalchemy import CompoundSelect, Integer, Select, column, func, literal, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.visitors import replacement_traverse

from luoshi import etags, rendered, stamps
from luoshi.db import UNPREPARED, read_records
from luoshi.deadlines.calendar import local_today
from luoshi.memo import Built
from luoshi.org.names import short_names
from luoshi.security import CurrentUser
from luoshi.tasks.scope import task_scope
from luoshi.todo.registry import COLUMNS, PROVIDERS, TodoPart
from luoshi.todo.schemas import TodoKind

# Each part's sub-query read by plain column names: cheaper per request than SQLAlchemy's
# proxies of every sub-query's columns, and typed once here for the whole UNION.
_READ = [column(name, type_) for name, type_ in {**COLUMNS, "part": Integer(), "total": Integer()}.items()]
# What a caller's to-do is kept under besides the caller and the day: the loop's stamp and the
# units' (under which ``org.names`` keeps their names, which the items show). The route reads
# them with the caller (``security.in_one_trip``'s ``alongside``).
STAMPS = (stamps.loop_stamp().label("loop_stamp"), stamps.stamp_of(stamps.UNITS).label("units_stamp"))


def _urgency(item: dict[str, Any]) -> tuple:
    due, since = item["due_date"], item["since"]
    return (due is None, due, since is None, since, item["ref_id"])


def _ranked(part: TodoPart, index: int, limit: int, by_id: bool) -> Select[Any]:
    """One part's most urgent rows, each carrying the part's full count.

    The rows are fenced off in a sub-query of their own (OFFSET 0) before they are counted,
    ordered and cut. The count reads every row anyway, but PostgreSQL costs the count as if
    the LIMIT stopped it early: unfenced, it walked every open task in deadline order and
    probed for a waiting report at each (the office's to-do: 85,000 probes for 3,800 reports)
    instead of reading the waiting reports and then their tasks.

    ``by_id``: count and rank the rows by their id and urgency alone, then read the top rows
    again by id for what the to-do shows of them (see ``_ranks_by_id``).
    """
    keys = [key.label(f"key{i}") for i, key in enumerate(part.order)]
    ref = part.select.selected_columns.ref_id.element  # the id of the part's own row
    kept = [ref.label("ref")] if by_id else [part.select.selected_columns[name] for name in COLUMNS]
    rows = (part.select.with_only_columns(*kept, *keys, maintain_column_froms=True)
            .offset(0).subquery())
    top = (
        select(*(rows.c[column.name] for column in kept), func.count().over().label("total"))
        .order_by(*(rows.c[key.name] for key in keys)).limit(max(limit, 1))
    )
    if not by_id:
        return top.add_columns(literal(index, Integer).label("part"))
    ranked = top.subquery()
    (tables,) = part.select.get_final_froms()  # the part's table, joined to its task
    return (
        select(*part.select.selected_columns, literal(index, Integer).label("part"), ranked.c.total)
        .select_from(ranked.join(tables, ref == ranked.c.ref))
    )


def _ranks_by_id(session: Session, current: CurrentUser) -> bool:
    """Whether the caller's parts are ranked by id before their rows are read (``_ranked``).

    Counting and sorting whole rows, titles and all, cost more than finding them where a queue
    is long: ranked by id, the office's to-do (5,811 tasks awaiting approval, 3,784 reports
    waiting for review) took PostgreSQL about a tenth less (20–21 ms instead of 22–24), and
    SQLite 17 ms instead of 32 with the index that ranks approvals from itself (migration
    0011). Reading the top rows again costs PostgreSQL about 0.1 ms of planning a part, which
    a unit's short queues do not win back (1.4 ms of planning became 2.2, and its to-do served
    10% fewer requests side by side); SQLite plans for next to nothing, and ranked so, a unit's
    to-do took 15% fewer instructions. So: on SQLite always, and on PostgreSQL for those who
    manage a jurisdiction's tasks.
    """
    return session.get_bind().dialect.name == "sqlite" or task_scope(session, current).manages


def _statement(parts: list[TodoPart], limit: int, by_id: bool) -> Select[Any] | CompoundSelect:
    """Each part's most urgent rows with the part's full count, the parts glued by UNION ALL.

    A part's ORDER BY and LIMIT sit in a sub-query, the form SQLite and PostgreSQL both accept
    inside a UNION; the window count is taken before the LIMIT, so a part always brings its
    total (and one row to carry it even when only counts are asked for).
    """
    selects = [select(*_READ).select_from(_ranked(part, index, limit, by_id).subquery())
               for index, part in enumerate(parts)]
    statement = selects[0] if len(selects) == 1 else union_all(*selects)
    return replacement_traverse(statement, {}, _written_out).execution_options(**UNPREPARED)


def _written_out(element: Any) -> BindParameter[Any] | None:
    """Every value of the statement written into its text, none sent as a parameter, and the
    statement never prepared: PostgreSQL plans it for these values each time.

    psycopg prepares a statement run often, and PostgreSQL then plans it once for any values:
    for no particular status, unit path or LIMIT. That plan read the office's to-do three times
    slower. Planning the real values takes about a millisecond; a plan kept per caller would
    cost the server 0.7 MB per caller on each connection.
    """
    return element.render_literal_execute() if isinstance(element, BindParameter) else None


# A caller's parts and their UNION, built once a day: the providers are pure functions of who is
# asking and of the day (they execute nothing), and building the statement and its cache key
# cost more than running it.
Plan = tuple[list[TodoPart], Select[Any] | CompoundSelect | None]
_BUILT: Built[Plan] = Built(256)


def _build(session: Session, current: CurrentUser, limit: int) -> Plan:
    parts = [part for provider in PROVIDERS for part in provider(session, current)]
    return parts, _statement(parts, limit, _ranks_by_id(session, current)) if parts else None


def _plan(session: Session, current: CurrentUser, limit: int, today: date) -> Plan:
    key = (task_scope(session, current).key, current.user.roles, today, limit)
    return _BUILT.get(key, lambda: _build(session, current, limit))


# Answers as sent, under their ETags: a tag names the caller, the day, the limit and the stamps
# of everything the answer was read from, so an answer kept is never stale. A change makes a new
# tag, and the old answer ages out.
_ANSWERS: Built[rendered.Rendered] = Built(16 * 1024 * 1024, weigh=lambda rendered: rendered.size)
# Smaller answers go as they are: compressing them would save next to nothing.
GZIP_FROM_BYTES = 1024


def todo_response(session: Session, current: CurrentUser, limit: int, if_none_match: str | None,
                  gzip: bool = False) -> Response:
    """The caller's to-do as sent, with its ETag; 304 when the client holds it; gzip-compressed
    (made once per answer) for a client that accepts it, such as a leader's phone.

    The caller must have been read with ``STAMPS`` alongside (the route does so): the stamps
    are read before the to-do, so a write landing in between can only make an answer newer
    than its tag, never older.
    """
    today = local_today()
    _, statement = _plan(session, current, limit, today)
    if statement is None:  # nothing can wait on this caller: the answer depends on no data
        loop = units = 0
    else:
        loop, units = current.alongside.loop_stamp, current.alongside.units_stamp
    tag = etags.weak("todo", task_scope(session, current).fingerprint, current.user.roles, today, limit, loop, units)
    if etags.matches(if_none_match, tag):
        return rendered.not_modified(tag)
    answer = _ANSWERS.get(tag, lambda: rendered.Rendered(to_json(_todo(session, current, limit, today, units))))
    return rendered.send(answer, tag, gzip and len(answer.plain) >= GZIP_FROM_BYTES)


def _todo(session: Session, current: CurrentUser, limit: int, today: date, units_stamp: int) -> dict[str, Any]:
    """The caller's to-do on ``today`` as ``TodoRead`` has it, in plain values (a model for each
    item cost more than reading it), naming units as of ``units_stamp`` or later."""
    parts, statement = _plan(session, current, limit, today)
    counts = {kind: 0 for kind in TodoKind}
    items: dict[TodoKind, list[dict[str, Any]]] = {kind: [] for kind in TodoKind}
    if statement is not None:
        # Rows come back in no set order: group them by part first, so that items which tie on
        # urgency keep the order of the parts.
        by_part: list[list[Any]] = [[] for _ in parts]
        for row in read_records(session, statement):
            by_part[row.part].append(row)
        unit_names = short_names(session, units_stamp) if limit else {}
        for part, rows in zip(parts, by_part, strict=True):
            if not rows:
                continue
            counts[part.kind] += rows[0].total
            if limit:
                items[part.kind] += [
                    {"kind": part.kind, "ref_type": r.ref_type, "ref_id": r.ref_id, "task_id": r.task_id,
                     "title": r.title, "unit_name": unit_names.get(r.unit_id), "due_date": r.due_date,
                     "deadline_state": part.state(r), "since": r.since}
                    for r in rows
                ]
    groups = [{"kind": k, "count": counts[k], "items": sorted(items[k], key=_urgency)[:limit]} for k in TodoKind]
    return {"total": sum(counts.values()), "groups": groups}
