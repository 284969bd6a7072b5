"""三色督查单: the coloured slips an office prints — blue near the deadline, yellow behind
schedule (序时进度), red overdue — for the open tasks in the caller's scope."""

from datetime import date
from html import escape

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from luoshi.deadlines.calendar import CalendarNotCovered, local_date, local_today, warning_limit, working_days_between
from luoshi.org.models import Unit
from luoshi.tasks.models import Task, TaskStatus
from luoshi.tasks.scope import TaskScope
from luoshi.users.models import User

RUNNING = (TaskStatus.assigned, TaskStatus.in_progress, TaskStatus.pending_review)
COLOR_NAMES = {"red": "红色督查单（已逾期）", "yellow": "黄色督查单（滞后序时进度）",
               "blue": "蓝色督查单（临近期限）"}
LIMIT = 1000


def _expected(issued: date | None, deadline: date, today: date) -> int:
    if issued is None:
        return 0
    span = (deadline - issued).days
    if span <= 0:
        return 100
    return round(100 * min(max((today - issued).days, 0), span) / span)


def slips(session: Session, scope: TaskScope, color: str | None = None,
          today: date | None = None) -> list[dict]:
    today = today or local_today()
    horizon = warning_limit(today)
    leader = aliased(User)
    rows = session.execute(
        select(Task.id, Task.title, Task.lead_unit_id, Unit.short_name, Task.leader_id,
               leader.display_name, Task.issued_at, Task.deadline_date, Task.progress, Task.status)
        .outerjoin(Unit, Unit.id == Task.lead_unit_id).outerjoin(leader, leader.id == Task.leader_id)
        .where(scope.clause(), Task.status.in_(RUNNING), Task.deadline_date.isnot(None))
        .order_by(Task.deadline_date, Task.id).limit(LIMIT)
    ).all()
    out = []
    for r in rows:
        issued = local_date(r.issued_at) if r.issued_at else None
        expected = _expected(issued, r.deadline_date, today)
        if r.deadline_date < today:
            c, why = "red", f"已逾期 {(today - r.deadline_date).days} 天"
        elif r.status != TaskStatus.pending_review and r.progress < expected:
            c, why = "yellow", f"完成 {r.progress}%，序时进度应达 {expected}%"
        elif r.deadline_date <= horizon:
            c, why = "blue", f"距办理时限不足 {(r.deadline_date - today).days + 1} 天"
        else:
            continue
        if color and c != color:
            continue
        try:
            wd = working_days_between(today, r.deadline_date)
        except CalendarNotCovered:
            wd = None
        out.append({
            "color": c, "task_id": r.id, "title": r.title, "lead_unit_id": r.lead_unit_id,
            "lead_unit_name": r.short_name, "leader_id": r.leader_id, "leader_name": r.display_name,
            "issued_date": issued, "deadline_date": r.deadline_date,
            "days_left": (r.deadline_date - today).days, "working_days_left": wd,
            "progress": r.progress, "expected_progress": expected, "reason": why,
        })
    order = {"red": 0, "yellow": 1, "blue": 2}
    out.sort(key=lambda s: (order[s["color"]], s["deadline_date"], s["task_id"]))
    return out


_CSS = """
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif; margin: 0; }
.slip { width: 180mm; margin: 10mm auto; padding: 8mm 10mm; border: 3px solid; page-break-after: always; }
.slip h1 { text-align: center; font-size: 22pt; letter-spacing: 4pt; margin: 0 0 6mm; }
.slip table { width: 100%; border-collapse: collapse; font-size: 12pt; }
.slip th, .slip td { border: 1px solid #333; padding: 3mm; text-align: left; vertical-align: top; }
.slip th { width: 28mm; background: #f4f4f4; }
.red { border-color: #c00; } .red h1 { color: #c00; }
.yellow { border-color: #d4a000; } .yellow h1 { color: #b38600; }
.blue { border-color: #1f5fbf; } .blue h1 { color: #1f5fbf; }
.foot { margin-top: 6mm; font-size: 11pt; display: flex; justify-content: space-between; }
@media print { .slip { margin: 0 auto; } .noprint { display: none; } }
"""


def render_html(items: list[dict], office: str, today: date) -> str:
    """A self-contained page, one slip per sheet, ready for the browser's print dialog."""
    parts = [f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
             f"<title>三色督查单 {today.isoformat()}</title><style>{_CSS}</style></head><body>"]
    if not items:
        parts.append("<p class='noprint' style='text-align:center'>当前没有需要发送的督查单。</p>")
    for s in items:
        rows = [
            ("督办事项", s["title"]), ("牵头单位", s["lead_unit_name"] or "—"),
            ("责任领导", s["leader_name"] or "—"),
            ("交办日期", s["issued_date"].isoformat() if s["issued_date"] else "—"),
            ("办理时限", s["deadline_date"].isoformat()),
            ("办理进度", f"{s['progress']}%（序时进度 {s['expected_progress']}%）"),
            ("督办事由", s["reason"]),
            ("督办要求", "请接单后1个工作日内书面回告办理情况及下步措施。" if s["color"] == "red"
             else "请加快推进，按时限要求完成并及时回告。"),
        ]
        body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in rows)
        parts.append(
            f"<section class='slip {s['color']}'><h1>{escape(COLOR_NAMES[s['color']])}</h1>"
            f"<table>{body}</table><div class='foot'><span>编号：DC-{s['task_id']}</span>"
            f"<span>{escape(office)}　{today.year}年{today.month}月{today.day}日</span></div></section>")
    parts.append("</body></html>")
    return "".join(parts)
