"""The task ledger (台账) export: the list's filters and scope as an xlsx workbook, in tree order."""

from datetime import date, datetime
from io import BytesIO
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from luoshi.audit.models import AuditEntry
from luoshi.downloads import XLSX
from luoshi.tasks import ledger
from tests.tasks.conftest import TASKS, in_days

LEDGER = f"{TASKS}/ledger.xlsx"
HEADERS = ["序号", "事项编号", "层级", "任务名称", "具体要求", "来源类型", "文号", "牵头单位", "配合单位",
           "责任领导", "办理时限", "原定时限", "状态", "时限状态", "进度", "退回次数", "签收时间", "办结时间"]
FIRST = 4  # rows 1-2: title and filters, row 3: headers


def sheet(resp):
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == XLSX
    return load_workbook(BytesIO(resp.content)).active


def records(ws) -> list[dict]:
    return [dict(zip(HEADERS, row, strict=True)) for row in ws.iter_rows(min_row=FIRST, values_only=True)]


def listed(caller, **params) -> list[int]:
    """Every id the list answers with the same filters, all pages."""
    ids, cursor = [], None
    while True:
        page = caller.get(TASKS, params={**params, "limit": 200, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        ids += [t["id"] for t in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return ids


def exports(db) -> int:
    return db.execute(select(func.count()).select_from(AuditEntry)
                      .where(AuditEntry.action == "task.ledger_export")).scalar_one()


@pytest.fixture
def work(act_as, make_task, user_ids):
    """A key work led by 市发改委 with two sub-tasks (one with a child) and an unrelated 市教育局 task."""
    sup, fgw = act_as("supervisor"), act_as("fgw_liaison")
    root = make_task(lead="WH-FGW", coop=["WH-ZJJ", "WH-SWJ"], leader_id=user_ids["vicemayor"], days=90,
                     title="优化营商环境")
    first = make_task(lead="WH-FGW", parent=root["id"], days=30, title="精简审批")
    second = make_task(lead="WH-ZJJ", parent=root["id"], days=2, title="工程建设项目审批改革")
    nested = make_task(lead="WH-FGW", parent=first["id"], days=20, title="压减办理时限")
    other = make_task(lead="WH-JYJ", days=60, title="教育局另一项工作")
    for task in (root, first, second, nested, other):
        sup.act(task["id"], "issue")
    fgw.act(root["id"], "sign")
    return {"root": root, "first": first, "second": second, "nested": nested, "other": other}


def test_the_ledger_lists_what_the_list_does_in_tree_order(act_as, work, db):
    sup = act_as("supervisor")
    resp = sup.get(LEDGER)
    ws = sheet(resp)
    assert [c.value for c in ws[3]] == HEADERS
    assert ws["A1"].value == "督办事项台账"
    assert "全部" in ws["A2"].value and "北京时间" in ws["A2"].value
    assert ws.freeze_panes == "A4"
    assert ws["A3"].font.bold
    rows = records(ws)
    assert sorted(r["事项编号"] for r in rows) == sorted(listed(sup))
    ids = [r["事项编号"] for r in rows]
    w = {k: t["id"] for k, t in work.items()}
    # Tree order: the root, then each sub-task followed by its own subtree; the other tree after it.
    assert ids.index(w["root"]) < ids.index(w["first"]) < ids.index(w["nested"]) < ids.index(w["second"])
    assert [r["序号"] for r in rows] == list(range(1, len(rows) + 1))

    root = next(r for r in rows if r["事项编号"] == w["root"])
    assert root["任务名称"] == "优化营商环境" and root["层级"] == 1 and root["具体要求"] == "按方案推进"
    assert root["来源类型"] == "领导批示" and root["文号"] == "武政办〔2018〕105号"
    assert root["牵头单位"] == "武汉市发展和改革委员会"
    assert root["配合单位"] == "武汉市住房和城乡建设局、武汉市商务局"
    assert root["责任领导"] == "张副市长"
    assert root["状态"] == "办理中" and root["时限状态"] == "正常"
    assert isinstance(root["办理时限"], datetime) and root["办理时限"].date() == date.fromisoformat(in_days(90))
    assert root["原定时限"] is None
    assert isinstance(root["签收时间"], datetime) and root["办结时间"] is None
    assert root["进度"] == 0 and root["退回次数"] == 0
    nested = next(r for r in rows if r["事项编号"] == w["nested"])
    assert nested["层级"] == 3 and nested["状态"] == "已交办" and nested["签收时间"] is None
    assert ws.cell(row=FIRST + ids.index(w["nested"]), column=4).alignment.indent == 2
    assert next(r for r in rows if r["事项编号"] == w["second"])["时限状态"] == "临期"
    assert ws.cell(row=FIRST, column=11).number_format == "yyyy-mm-dd"

    disposition = resp.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="task-ledger_')
    assert unquote(disposition.split("filename*=UTF-8''")[1]).startswith("督办事项台账_")
    assert resp.headers["cache-control"] == "private, no-store"
    entry = db.execute(select(AuditEntry).where(AuditEntry.action == "task.ledger_export")).scalar_one()
    assert entry.detail == {"rows": len(rows), "filters": {}} and entry.target_type == "task_ledger"


@pytest.mark.parametrize("params", [
    {"status": ["assigned"]},
    {"status": ["assigned", "in_progress"], "deadline_state": ["due_soon", "overdue"]},
    {"lead_unit_id": "WH-FGW"},
    {"unit_id": "WH-ZJJ"},
    {"q": "审批"},
    {"due_before": 25, "due_after": 1},
    {"root": True},
    {"parent": True},
    {"parent": True, "lead_unit_id": "WH-ZJJ"},
])
def test_filters_select_the_same_tasks_as_the_list(act_as, work, unit_ids, user_ids, params):
    sup = act_as("supervisor")
    query = dict(params)
    for key in ("lead_unit_id", "unit_id"):
        if key in query:
            query[key] = unit_ids[query[key]]
    for key in ("due_before", "due_after"):
        if key in query:
            query[key] = in_days(query[key])
    if query.pop("root", None):
        query["root_id"] = work["root"]["id"]
    if query.pop("parent", None):
        query["parent_id"] = work["root"]["id"]
    ws = sheet(sup.get(LEDGER, params=query))
    exported = [r["事项编号"] for r in records(ws)]
    expected = listed(sup, **query)
    assert sorted(exported) == sorted(expected) and 0 < len(exported) < 5
    assert "全部" not in ws["A2"].value


def test_the_title_row_says_which_filters_were_applied(act_as, work, unit_ids, user_ids):
    ws = sheet(act_as("supervisor").get(LEDGER, params={
        "status": ["assigned", "in_progress"], "deadline_state": "overdue", "lead_unit_id": unit_ids["WH-FGW"],
        "leader_id": user_ids["vicemayor"], "source_type": "leader_instruction", "q": "营商",
        "due_after": in_days(1), "root_id": work["root"]["id"],
    }))
    note = ws["A2"].value
    for words in ("状态：已交办、办理中", "时限状态：超期", "牵头单位：武汉市发展和改革委员会", "责任领导：张副市长",
                  "来源类型：领导批示", "关键词：“营商”", f"办理时限：{in_days(1)} 及以后", "共 0 项"):
        assert words in note, note


def test_parent_id_exports_the_direct_children(act_as, work):
    """The key work's two sub-tasks, not the key work, not the sub-task's own child."""
    ws = sheet(act_as("supervisor").get(LEDGER, params={"parent_id": work["root"]["id"]}))
    rows = records(ws)
    assert [r["事项编号"] for r in rows] == [work["first"]["id"], work["second"]["id"]]
    assert [r["层级"] for r in rows] == [2, 2]
    assert "上级事项：优化营商环境" in ws["A2"].value and "共 2 项" in ws["A2"].value
    assert records(sheet(act_as("supervisor").get(LEDGER, params={"parent_id": work["nested"]["id"]}))) == []


def test_a_unit_exports_only_its_own_tasks(act_as, work):
    fgw, jyj = act_as("fgw_liaison"), act_as("jyj_liaison")
    exported = {r["事项编号"] for r in records(sheet(fgw.get(LEDGER)))}
    assert exported == set(listed(fgw))
    assert work["other"]["id"] not in exported and work["root"]["id"] in exported
    assert work["second"]["id"] not in exported  # led by 市住建局, 市发改委 takes no part
    assert {r["事项编号"] for r in records(sheet(jyj.get(LEDGER)))} == {work["other"]["id"]}
    # A filter cannot widen the scope: naming another unit's tree finds nothing of it.
    assert records(sheet(jyj.get(LEDGER, params={"root_id": work["root"]["id"]}))) == []
    note = sheet(jyj.get(LEDGER, params={"root_id": work["root"]["id"]}))["A2"].value
    assert "优化营商环境" not in note
    # Nor does naming a parent: 市发改委 gets the sub-task it leads, not 市住建局's; 市教育局 nothing,
    # not even the parent's title.
    by_parent = {"parent_id": work["root"]["id"]}
    assert [r["事项编号"] for r in records(sheet(fgw.get(LEDGER, params=by_parent)))] == [work["first"]["id"]]
    ws = sheet(jyj.get(LEDGER, params=by_parent))
    assert records(ws) == [] and "优化营商环境" not in ws["A2"].value
    assert f"上级事项：#{work['root']['id']}" in ws["A2"].value


def test_extended_and_completed_tasks(act_as, make_task, db):
    sup, fgw = act_as("supervisor"), act_as("fgw_liaison")
    done = make_task(lead="WH-FGW", days=10, title="已办结事项")
    sup.act(done["id"], "issue")
    fgw.act(done["id"], "sign")
    fgw.report_completion(done["id"])
    fgw.act(done["id"], "submit")
    sup.act(done["id"], "approve")
    moved = make_task(lead="WH-FGW", days=10, title="延期事项")
    sup.act(moved["id"], "issue")
    version = sup.get(f"{TASKS}/{moved['id']}").json()["version"]
    assert sup.patch(f"{TASKS}/{moved['id']}", {"deadline": in_days(40)},
                     headers={"If-Match": str(version)}).status_code == 200
    rows = {r["事项编号"]: r for r in records(sheet(sup.get(LEDGER)))}
    assert rows[done["id"]]["状态"] == "已办结" and rows[done["id"]]["时限状态"] == "按期办结"
    assert isinstance(rows[done["id"]]["办结时间"], datetime) and rows[done["id"]]["进度"] == 1
    assert rows[moved["id"]]["原定时限"].date() == date.fromisoformat(in_days(10))
    assert rows[moved["id"]]["办理时限"].date() == date.fromisoformat(in_days(40))


WIDTHS = dict(zip("ABCDEFGHIJKLMNOPQR", (6, 9, 6, 40, 50, 12, 22, 20, 28, 10, 12, 12, 9, 10, 8, 9, 17, 17),
                  strict=True))
WRAPPED = set("DEGHI")  # title, requirements, document number, lead and cooperating units
FORMATS = {"K": "yyyy-mm-dd", "L": "yyyy-mm-dd", "O": "0%", "Q": "yyyy-mm-dd hh:mm", "R": "yyyy-mm-dd hh:mm"}


def _rgb(color) -> str:
    """A colour as a reader sees it: its RGB, whatever alpha byte the writer put before it."""
    return color.rgb[-6:]


def _bordered(cell) -> bool:
    sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
    return all(s.style == "thin" and _rgb(s.color) == "BFBFBF" for s in sides)


def _widths(ws) -> dict[str, float]:
    """Each column's width; a <col> element may cover a range of columns of the same width."""
    return {get_column_letter(i): dim.width for dim in ws.column_dimensions.values()
            for i in range(dim.min, dim.max + 1)}


def test_the_workbook_looks_as_an_office_expects(act_as, work):
    """What a reader sees besides the values: layout, print settings, and each cell's look."""
    ws = sheet(act_as("supervisor").get(LEDGER))
    rows = records(ws)
    last = FIRST + len(rows) - 1
    widths = _widths(ws)
    assert widths.keys() >= WIDTHS.keys()
    assert all(abs(widths[letter] - width) <= 0.7 for letter, width in WIDTHS.items()), widths
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref == f"A3:R{last}"
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:R1", "A2:R2"}
    assert ws.print_title_rows == "$3:$3" and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # absent means 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    title, note = ws["A1"], ws["A2"]
    assert title.font.b and title.font.sz == 16
    assert (title.alignment.horizontal, title.alignment.vertical) == ("center", "center")
    assert note.alignment.wrap_text and note.alignment.vertical == "center"
    assert ws.row_dimensions[2].height == 30  # the filters note has room for two lines

    for cell in ws[3]:
        assert cell.font.b and _bordered(cell) and cell.number_format == "General"
        assert cell.fill.fill_type == "solid" and _rgb(cell.fill.fgColor) == "D9E1F2"
        assert (cell.alignment.horizontal, cell.alignment.vertical, cell.alignment.wrap_text,
                cell.alignment.indent) == ("center", "center", True, 0)
    levels = {r["事项编号"]: r["层级"] for r in rows}
    for row in ws.iter_rows(min_row=FIRST, max_row=last):
        assert len(row) == len(HEADERS)
        for cell in row:  # empty cells too: the grid is drawn whole
            letter = cell.column_letter
            assert _bordered(cell), cell.coordinate
            assert cell.alignment.vertical == "top" and bool(cell.alignment.wrap_text) == (letter in WRAPPED)
            assert cell.number_format == FORMATS.get(letter, "General"), cell.coordinate
            assert cell.fill.fill_type is None
        assert row[3].alignment.indent == levels[row[1].value] - 1
    by_state = {r[13].value: r[13] for r in ws.iter_rows(min_row=FIRST)}
    assert by_state["临期"].font.b and _rgb(by_state["临期"].font.color) == "B8860B"
    plain = by_state["正常"].font
    assert not plain.b and (plain.color is None or plain.color.theme == 1)  # the default text colour
    for cell in by_state.values():  # bold and colour apart, the body's look
        assert _bordered(cell) and cell.number_format == "General" and cell.fill.fill_type is None
        assert (cell.alignment.horizontal, cell.alignment.vertical, cell.alignment.wrap_text,
                cell.alignment.indent) == (None, "top", None, 0)


def test_what_users_typed_is_written_as_text(act_as, make_task):
    """A title or requirement that looks like a formula or an error value is not one in Excel."""
    sup = act_as("supervisor")
    task = make_task(title='=HYPERLINK("http://example.com","点击")', content="#N/A")
    sup.act(task["id"], "issue")
    ws = sheet(sup.get(LEDGER))
    row = next(r for r in ws.iter_rows(min_row=FIRST) if r[1].value == task["id"])
    assert (row[3].value, row[3].data_type) == ('=HYPERLINK("http://example.com","点击")', "s")
    assert (row[4].value, row[4].data_type) == ("#N/A", "s")


def test_refusals_write_nothing(act_as, client, work, db, monkeypatch):
    sup = act_as("supervisor")
    before = exports(db)
    bad = sup.get(LEDGER, params={"status": "purple"})
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    assert sup.get(LEDGER, params={"due_before": "tomorrow"}).status_code == 422
    assert sup.get(LEDGER, params={"parent_id": "first"}).status_code == 422
    assert client.get(LEDGER).status_code == 401
    for username in ("auditor", "admin"):
        denied = act_as(username).get(LEDGER)
        assert denied.status_code == 403, denied.text
    monkeypatch.setattr(ledger, "MAX_ROWS", 2)
    too_many = sup.get(LEDGER, headers={"Accept-Language": "zh-CN"})
    assert too_many.status_code == 422
    body = too_many.json()
    assert body["code"] == "task.ledger_too_large" and "缩小筛选范围" in body["detail"] and "5" in body["detail"]
    assert sup.get(LEDGER, params={"root_id": work["first"]["id"]}).status_code == 200  # two rows: fine
    assert exports(db) == before + 1


def _grow(act_as, make_task, root_id: int, n: int, start: int) -> None:
    sup = act_as("supervisor")
    for i in range(start, start + n):
        lead, coop = ("WH-FGW", ["WH-ZJJ"]) if i % 2 else ("WH-ZJJ", ["WH-FGW", "WH-SWJ"])
        child = make_task(lead=lead, coop=coop, parent=root_id, days=30 + i % 20, title=f"分解事项{i}")
        sup.act(child["id"], "issue")
        act_as("fgw_liaison" if lead == "WH-FGW" else "zjj_liaison").act(child["id"], "sign")


def test_queries_do_not_grow_with_rows(act_as, make_task, user_ids, count_queries):
    sup, fgw = act_as("supervisor"), act_as("fgw_liaison")
    root = make_task(lead="WH-FGW", coop=["WH-ZJJ"], leader_id=user_ids["vicemayor"], days=90)
    sup.act(root["id"], "issue")
    calls = {
        "supervisor": lambda: sup.get(LEDGER),
        "unit, filtered": lambda: fgw.get(LEDGER, params={"status": ["assigned", "in_progress"],
                                                         "lead_unit_id": root["lead_unit"]["id"]}),
    }

    def measure() -> dict[str, int]:
        out = {}
        for name, call in calls.items():
            with count_queries() as counter:
                assert call().status_code == 200
            out[name] = counter.count
        return out

    _grow(act_as, make_task, root["id"], 2, 0)
    small = measure()
    _grow(act_as, make_task, root["id"], 8, 2)
    assert measure() == small
    assert len(records(sheet(sup.get(LEDGER)))) == 11


def test_characters_xml_cannot_hold_are_left_out(act_as, make_task):
    """A control character pasted into a title (a bell, a form feed) is dropped, not a failed export."""
    sup = act_as("supervisor")
    task = make_task(title="优化\x07营商\x0c环境\ufffe", content="第一行\n第二行\t续")
    sup.act(task["id"], "issue")
    row = next(r for r in sheet(sup.get(LEDGER)).iter_rows(min_row=FIRST) if r[1].value == task["id"])
    assert (row[3].value, row[4].value) == ("优化营商环境", "第一行\n第二行\t续")
    assert "关键词：“营商”" in sheet(sup.get(LEDGER, params={"q": "营商\x1b"}))["A2"].value
