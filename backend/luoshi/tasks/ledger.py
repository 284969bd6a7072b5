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
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy.orm import Session

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
    kind: str = "text"  # text, wrap, int, date, datetime, percent, title


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


_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "percent": "0%"}
_DEADLINE_COLOURS = {DeadlineState.overdue: "C00000", DeadlineState.due_soon: "B8860B", DeadlineState.late: "C55A11"}
MAX_INDENT = 15  # Excel indents at most 15 levels
# What XML 1.0 cannot hold (the C0 controls but tab, newline and return; U+FFFE, U+FFFF): a bell
# pasted into a title must not fail the export (openpyxl refuses it) nor corrupt the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _Styles:
    """Named cell styles, registered on first use: a cell takes a style by name in one step,
    where setting font, border and alignment one by one costs more than writing the row."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self.known: set[str] = set()

    def __call__(self, name: str, **attrs: Any) -> str:
        if name not in self.known:
            self.wb.add_named_style(NamedStyle(name=f"{name}", border=_BORDER, **attrs))
            self.known.add(name)
        return name

    def column(self, column: Column, depth: int, state: DeadlineState | None) -> str:
        match column.kind:
            case "title":
                indent = min(depth, MAX_INDENT)
                return self(f"台账·标题{indent}", alignment=Alignment(vertical="top", wrap_text=True, indent=indent))
            case "wrap":
                return self("台账·多行", alignment=_WRAP)
            case "deadline" if state in _DEADLINE_COLOURS:
                return self(f"台账·{state}", alignment=_TOP, font=Font(color=_DEADLINE_COLOURS[state], bold=True))
            case "date" | "datetime" | "percent":
                return self(f"台账·{column.kind}", alignment=_TOP, number_format=_FORMATS[column.kind])
        return self("台账·正文", alignment=_TOP)


def _workbook(rows: Sequence[Any], cooperating: dict[int, list[str]], names: dict[int, str],
              clock: DeadlineClock, zone: ZoneInfo, now: datetime, described: str) -> bytes:
    wb = Workbook(write_only=True)
    wb.properties.title = TITLE
    wb.properties.creator = "落实 Luoshi"
    styles = _Styles(wb)
    ws: WriteOnlyWorksheet = wb.create_sheet(TITLE)
    last_col = get_column_letter(len(COLUMNS))
    for i, column in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.merged_cells.add(f"A1:{last_col}1")
    ws.merged_cells.add(f"A2:{last_col}2")
    if rows:
        ws.auto_filter.ref = f"A3:{last_col}{len(rows) + 3}"

    title = WriteOnlyCell(ws, TITLE)
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.append([title])
    note = WriteOnlyCell(ws, _NOT_XML.sub("", f"筛选条件：{described}。共 {len(rows)} 项。"
                                              f"导出时间：{now:%Y-%m-%d %H:%M}（北京时间）"))
    note.alignment = Alignment(wrap_text=True, vertical="center")
    ws.append([note])
    ws.row_dimensions[2].height = 30
    header = styles("台账·表头", font=Font(bold=True), fill=PatternFill("solid", fgColor="D9E1F2"),
                    alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
    ws.append([_cell(ws, c.header, header) for c in COLUMNS])
    for number, row in enumerate(rows, start=1):
        state = clock.state(row.status, row.deadline_date, row.completed_on_time)
        values = _values(number, row, state, cooperating, names, zone)
        ws.append([_cell(ws, value, styles.column(column, row.depth, state))
                   for column, value in zip(COLUMNS, values, strict=True)])

    out = BytesIO()
    wb.save(out)
    return out.getvalue()


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


def _cell(ws: WriteOnlyWorksheet, value: Any, style: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, _NOT_XML.sub("", value) if isinstance(value, str) else value)
    if cell.data_type in ("f", "e"):
        # What a user typed stays text: a title like "=HYPERLINK(...)" must not become a formula
        # that runs in the reader's Excel, nor "#N/A" an error value.
        cell.data_type = "s"
    cell.style = style
    return cell


def _local(at: datetime | None, zone: ZoneInfo) -> datetime | None:
    """Excel has no time zones: an instant is written as the office's wall-clock time."""
    return None if at is None else at.astimezone(zone).replace(tzinfo=None)
