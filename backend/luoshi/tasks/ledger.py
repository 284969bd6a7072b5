"""The task ledger (台账) as an xlsx workbook: the list's filters and scope, in tree order.

An office reads a ledger tree by tree: each root (重点工作) followed by its decomposed tasks
depth first, siblings in the order they were created, so a branch stays together. The level
column and the indented title show the depth; only tasks the caller may see and that match
the filters are listed, so a branch may appear without its parent.

Four queries whatever the number of rows (count, rows, cooperating units, leaders' names),
and, when the filters name them, one for their units' names and one for the parent task's title.
"""

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any, Self
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from luoshi.audit.service import record
from luoshi.clock import utcnow
from luoshi.db import begin_write
from luoshi.errors import Unprocessable
from luoshi.security import CurrentUser
from luoshi.settings import get_settings
from luoshi.tasks import repository as repo
from luoshi.tasks.deadline_state import DeadlineClock
from luoshi.tasks.filters import TaskFilters
from luoshi.tasks.messages import DEADLINE_STATE_NAMES, SOURCE_TYPE_NAMES, STATUS_NAMES
from luoshi.tasks.models import DeadlineState
from luoshi.tasks.scope import task_scope

# One export holds at most this many tasks; beyond it the caller narrows the filters.
MAX_ROWS = 20_000
TITLE = "督办事项台账"


class LedgerTooLarge(Unprocessable):
    code = "task.ledger_too_large"


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: str = "text"  # text, wrap, int, date, datetime, percent, title, deadline


COLUMNS = (
    Column("序号", 6, "int"),
    Column("事项编号", 9, "int"),
    Column("层级", 6, "int"),
    Column("任务名称", 40, "title"),
    Column("具体要求", 50, "wrap"),
    Column("来源类型", 12),
    Column("文号", 22, "wrap"),
    Column("牵头单位", 20, "wrap"),
    Column("配合单位", 28, "wrap"),
    Column("责任领导", 10),
    Column("办理时限", 12, "date"),
    Column("原定时限", 12, "date"),
    Column("状态", 9),
    Column("时限状态", 10, "deadline"),
    Column("进度", 8, "percent"),
    Column("退回次数", 9, "int"),
    Column("签收时间", 17, "datetime"),
    Column("办结时间", 17, "datetime"),
)


@dataclass(frozen=True)
class Ledger:
    content: bytes
    filename: str
    ascii_filename: str
    rows: int


def export(session: Session, current: CurrentUser, filters: TaskFilters) -> Ledger:
    """The ledger of the tasks the caller sees that match ``filters``; the export is audited."""
    scope = task_scope(session, current)
    clock = DeadlineClock.now()
    visible, clauses = scope.clause(), filters.clauses(clock)
    total = repo.count(session, visible, clauses)
    if total > MAX_ROWS:
        raise LedgerTooLarge(params={"count": total, "limit": MAX_ROWS})
    rows = sorted(repo.ledger_rows(session, visible, clauses), key=_tree_order)
    cooperating: dict[int, list[str]] = defaultdict(list)
    for task_id, name in repo.cooperating_unit_names(session, visible, clauses):
        cooperating[task_id].append(name)
    leader_ids = {r.leader_id for r in rows if r.leader_id} | _given(filters.leader_id)
    names = repo.user_names(session, leader_ids)
    units = repo.units(session, _given(filters.lead_unit_id) | _given(filters.unit_id))
    titles = repo.visible_titles(session, visible, _given(filters.parent_id))
    # The reading is done: end its transaction so the connection is not held while the
    # workbook is written (seconds for the largest ledgers).
    session.commit()

    zone = ZoneInfo(get_settings().timezone)
    now = utcnow().astimezone(zone)
    described = describe(filters, rows, names, {u.id: u.name for u in units.values()}, titles)
    content = _workbook(rows, cooperating, names, clock, zone, now, described)

    # Audited once the workbook is built, in a transaction that begins with the write: the
    # audit chain's head is locked for a moment, not while the workbook is written, and
    # SQLite never has to turn a long read into a write after others committed.
    begin_write(session)
    record(session, "task.ledger_export", current.actor, target_type="task_ledger",
           detail={"rows": len(rows), "filters": _jsonable(filters)})
    stamp = f"{now:%Y%m%d_%H%M}"
    return Ledger(content, f"{TITLE}_{stamp}.xlsx", f"task-ledger_{stamp}.xlsx", len(rows))


def _given(value: int | None) -> set[int]:
    return set() if value is None else {value}


def _tree_order(row: Any) -> tuple[int, ...]:
    """Root by root, each followed by its subtree depth first (ids along the path)."""
    return tuple(int(p) for p in row.path.strip("/").split("/") if p)


def _jsonable(filters: TaskFilters) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in vars(filters).items():
        if value is None or value == ():
            continue
        if isinstance(value, tuple):
            value = [str(v) for v in value]
        elif isinstance(value, date):
            value = value.isoformat()
        out[key] = value
    return out


def describe(filters: TaskFilters, rows: Sequence[Any], names: dict[int, str],
             unit_names: dict[int, str], task_titles: dict[int, str]) -> str:
    """The filters in words, for the sheet's second line."""
    parts: list[str] = []
    if filters.status:
        parts.append("状态：" + "、".join(STATUS_NAMES.get(s, s) for s in filters.status))
    if filters.deadline_state:
        parts.append("时限状态：" + "、".join(DEADLINE_STATE_NAMES.get(s, s) for s in filters.deadline_state))
    if filters.lead_unit_id is not None:
        parts.append(f"牵头单位：{unit_names.get(filters.lead_unit_id, filters.lead_unit_id)}")
    if filters.unit_id is not None:
        parts.append(f"参与单位：{unit_names.get(filters.unit_id, filters.unit_id)}")
    if filters.leader_id is not None:
        parts.append(f"责任领导：{names.get(filters.leader_id, filters.leader_id)}")
    if filters.source_type is not None:
        parts.append(f"来源类型：{SOURCE_TYPE_NAMES.get(filters.source_type, filters.source_type)}")
    if filters.q:
        parts.append(f"关键词：“{filters.q}”")
    if filters.due_after and filters.due_before:
        parts.append(f"办理时限：{filters.due_after} 至 {filters.due_before}")
    elif filters.due_after:
        parts.append(f"办理时限：{filters.due_after} 及以后")
    elif filters.due_before:
        parts.append(f"办理时限：{filters.due_before} 及以前")
    if filters.root_id is not None:
        # The root's title only when the caller sees the root itself.
        root = next((r for r in rows if r.id == filters.root_id), None)
        parts.append(f"所属重点工作：{root.title if root else f'#{filters.root_id}'}")
    if filters.parent_id is not None:
        # Likewise the parent's title only when the caller sees it (it is never one of the rows).
        title = task_titles.get(filters.parent_id)
        parts.append(f"上级事项：{title if title else f'#{filters.parent_id}'}")
    return "；".join(parts) if parts else "全部（本人可查看的事项）"


_NUMBER_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "percent": "0%"}
_DEADLINE_COLOURS = {DeadlineState.overdue: "#C00000", DeadlineState.due_soon: "#B8860B",
                     DeadlineState.late: "#C55A11"}
MAX_INDENT = 15  # Excel indents at most 15 levels
TITLE_ROW, NOTE_ROW, HEADER_ROW = 0, 1, 2  # zero-based, as XlsxWriter counts; the tasks follow
NOTE_HEIGHT = 30  # points: room for two lines of filters
# What XML 1.0 cannot hold (the C0 controls but tab, newline and return; U+FFFE, U+FFFF): a bell
# pasted into a title must not fail the export nor make a file Excel refuses to open.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TITLE_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.kind == "title")
_DEADLINE_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.kind == "deadline")


@dataclass(frozen=True)
class _Formats:
    """Every look the sheet uses, made once per workbook and shared by the cells that wear it:
    a format made per cell would cost more than writing the cell."""

    title: Format
    note: Format
    header: Format
    plain: Format
    columns: tuple[Format, ...]  # a task row's look, column by column (title and deadline vary)
    indents: tuple[Format, ...]  # the title column, by depth
    states: dict[DeadlineState, Format]  # the deadline column, for the states shown in colour

    @classmethod
    def of(cls, wb: Workbook) -> Self:
        def cell(**look: Any) -> Format:
            """A grid cell: thin grey border, text at the top (rows grow with wrapped text)."""
            return wb.add_format({"border": 1, "border_color": "#BFBFBF", "valign": "top", **look})

        plain = cell()
        by_kind = {"wrap": cell(text_wrap=True)}
        by_kind |= {kind: cell(num_format=pattern) for kind, pattern in _NUMBER_FORMATS.items()}
        return cls(
            title=wb.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}),
            note=wb.add_format({"text_wrap": True, "valign": "vcenter"}),
            header=cell(bold=True, bg_color="#D9E1F2", align="center", valign="vcenter", text_wrap=True),
            plain=plain,
            columns=tuple(by_kind.get(c.kind, plain) for c in COLUMNS),
            indents=tuple(cell(text_wrap=True, indent=i) for i in range(MAX_INDENT + 1)),
            states={state: cell(bold=True, font_color=colour) for state, colour in _DEADLINE_COLOURS.items()},
        )


def _workbook(rows: Sequence[Any], cooperating: dict[int, list[str]], names: dict[int, str],
              clock: DeadlineClock, zone: ZoneInfo, now: datetime, described: str) -> bytes:
    """The workbook: a title, the filters in words, the headers, then one row per task."""
    out = BytesIO()
    # Nothing a user typed is taken for a formula, a number or a link: the cells are written by
    # type below, and these cover merge_range, which writes its text through write().
    wb = Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                        "strings_to_urls": False})
    wb.set_properties({"title": TITLE, "author": "落实 Luoshi"})
    formats = _Formats.of(wb)
    ws = wb.add_worksheet(TITLE)
    _lay_out(ws, len(rows))
    last = len(COLUMNS) - 1
    ws.merge_range(TITLE_ROW, 0, TITLE_ROW, last, TITLE, formats.title)
    ws.merge_range(NOTE_ROW, 0, NOTE_ROW, last, _xml_text(f"筛选条件：{described}。共 {len(rows)} 项。"
                                            f"导出时间：{now:%Y-%m-%d %H:%M}（北京时间）"),
                   formats.note)
    for c, column in enumerate(COLUMNS):
        ws.write_string(HEADER_ROW, c, column.header, formats.header)
    looks = list(formats.columns)
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        state = clock.state(row.status, row.deadline_date, row.completed_on_time)
        looks[_TITLE_COLUMN] = formats.indents[min(row.depth, MAX_INDENT)]
        looks[_DEADLINE_COLUMN] = formats.states.get(state, formats.plain)
        values = _values(r - HEADER_ROW, row, state, cooperating, names, zone)
        for c, (value, look) in enumerate(zip(values, looks, strict=True)):
            _write(ws, r, c, value, look)
    wb.close()
    return out.getvalue()


def _lay_out(ws: Worksheet, count: int) -> None:
    """Widths, the note's height, frozen headers, the filter over the rows, a landscape print one page wide."""
    for c, column in enumerate(COLUMNS):
        # In pixels (7 per character of the default font), so the file stores exactly `width`
        # characters; set_column would add XlsxWriter's cell padding to it.
        ws.set_column_pixels(c, c, column.width * 7)
    ws.set_row(NOTE_ROW, NOTE_HEIGHT)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    ws.repeat_rows(HEADER_ROW)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    # Excel's "normal" margins (XlsxWriter's own are narrower): the ledger prints as it always has.
    ws.set_margins(left=0.75, right=0.75, top=1, bottom=1)
    ws.set_header("", margin=0.5)
    ws.set_footer("", margin=0.5)
    if count:
        ws.autofilter(HEADER_ROW, 0, HEADER_ROW + count, len(COLUMNS) - 1)


def _write(ws: Worksheet, r: int, c: int, value: Any, look: Format) -> None:
    """One cell by the value's type: text is always text, so a title like "=HYPERLINK(...)" is
    not a formula run in the reader's Excel nor "#N/A" an error value; empty cells keep the grid."""
    if value is None:
        ws.write_blank(r, c, None, look)
    elif isinstance(value, str):
        ws.write_string(r, c, _xml_text(value), look)
    elif isinstance(value, date):  # datetime too
        ws.write_datetime(r, c, value, look)
    else:
        ws.write_number(r, c, value, look)


def _xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold."""
    return _NOT_XML.sub("", text)


def _values(number: int, row: Any, state: DeadlineState | None, cooperating: dict[int, list[str]],
            names: dict[int, str], zone: ZoneInfo) -> tuple[Any, ...]:
    """One task's cells, in the order of ``COLUMNS``."""
    extended = row.original_deadline_date if row.original_deadline_date != row.deadline_date else None
    return (
        number, row.id, row.depth + 1, row.title, row.content or None,
        SOURCE_TYPE_NAMES.get(row.source_type, row.source_type), row.source_ref,
        row.lead_unit_name, "、".join(cooperating.get(row.id, ())) or None,
        names.get(row.leader_id) if row.leader_id else None,
        row.deadline_date, extended, STATUS_NAMES.get(row.status, row.status),
        DEADLINE_STATE_NAMES[state] if state else None, row.progress / 100,
        row.return_count, _local(row.signed_at, zone), _local(row.completed_at, zone),
    )


def _local(at: datetime | None, zone: ZoneInfo) -> datetime | None:
    """Excel has no time zones: an instant is written as the office's wall-clock time."""
    return None if at is None else at.astimezone(zone).replace(tzinfo=None)
