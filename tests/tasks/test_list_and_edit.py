"""The task list (filters, Chinese search, cursor pages), editing with If-Match, and the clock rules."""

from datetime import UTC, date, datetime, timedelta

import pytest

from luoshi.clock import utcnow
from luoshi.deadlines.calendar import warning_limit
from luoshi.tasks import repository as repo
from luoshi.tasks.assignments import reassign_lead_unit
from luoshi.tasks.deadline_state import DeadlineClock
from luoshi.tasks.schemas import check_source_ref
from tests.tasks.conftest import TASKS, Caller, in_days


def test_filters_search_and_cursor(act_as, make_task, unit_ids, user_ids):
    sup = act_as("supervisor")
    made = [make_task(lead="WH-FGW" if i % 2 else "WH-ZJJ", coop=["WH-SWJ"] if i % 3 == 0 else [],
                      days=10 + i, title=f"第{i}项：推进老旧小区改造" if i < 3 else f"第{i}项：优化营商环境",
                      leader_id=user_ids["vicemayor"] if i == 4 else None,
                      source_type="npc_suggestion" if i == 5 else "leader_instruction")
            for i in range(7)]
    sup.act(made[0]["id"], "issue")

    def ids(**params) -> list[int]:
        resp = sup.get(TASKS, params=params)
        assert resp.status_code == 200, resp.text
        return [t["id"] for t in resp.json()["items"]]

    newest_first = [t["id"] for t in reversed(made)]
    assert ids() == newest_first
    assert ids(q="老旧小区") == [made[2]["id"], made[1]["id"], made[0]["id"]]
    assert ids(q="武政办〔2018〕") == newest_first
    assert ids(status="assigned") == [made[0]["id"]]
    assert ids(status=["draft", "assigned"]) == newest_first
    assert ids(lead_unit_id=unit_ids["WH-FGW"]) == [made[5]["id"], made[3]["id"], made[1]["id"]]
    assert ids(unit_id=unit_ids["WH-SWJ"]) == [made[6]["id"], made[3]["id"], made[0]["id"]]
    assert ids(leader_id=user_ids["vicemayor"]) == [made[4]["id"]]
    assert ids(source_type="npc_suggestion") == [made[5]["id"]]
    assert ids(due_before=in_days(11), due_after=in_days(11)) == [made[1]["id"]]
    assert ids(root_id=made[3]["id"]) == [made[3]["id"]]
    # Pages of three, following next_cursor to the end.
    seen, cursor = [], None
    while True:
        page = sup.get(TASKS, params={"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == newest_first
    bad = sup.get(TASKS, params={"cursor": "not-a-cursor"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"
    assert sup.get(TASKS, params={"deadline_state": "purple"}).status_code == 422


def test_deadline_state_filter_takes_several_states(act_as, make_task):
    sup = act_as("supervisor")
    soon, later, draft = make_task(days=1), make_task(days=60), make_task(days=1)
    sup.act(soon["id"], "issue")
    sup.act(later["id"], "issue")

    def ids(states: list[str]) -> set[int]:
        resp = sup.get(TASKS, params={"deadline_state": states})
        assert resp.status_code == 200, resp.text
        return {t["id"] for t in resp.json()["items"]}

    assert ids(["due_soon"]) == {soon["id"]}
    assert ids(["normal"]) == {later["id"], draft["id"]}  # a draft's clock has not started
    assert ids(["due_soon", "overdue"]) == {soon["id"]}
    assert ids(["due_soon", "normal"]) == {soon["id"], later["id"], draft["id"]}
    assert sup.get(TASKS, params={"deadline_state": ["due_soon", "purple"]}).status_code == 422


@pytest.fixture
def decomposed(act_as, make_task):
    """江岸区 leads a key work (市发改委 cooperates) and decomposed it to two streets (issued) and
    to 市发改委 (still a draft); 大智街道 decomposed its part once more, to a community."""
    sup, jiangan, dazhi = act_as("supervisor"), act_as("jiangan_liaison"), act_as("dazhi_liaison")
    root = make_task(lead="WH-JA", coop=["WH-FGW"], days=90, title="老旧小区改造")
    sup.act(root["id"], "issue")
    jiangan.act(root["id"], "sign")
    dz = make_task(lead="WH-JA-DZ", parent=root["id"], by="jiangan_liaison", days=60, title="大智街道改造")
    yy = make_task(lead="WH-JA-YY", parent=root["id"], by="jiangan_liaison", days=50, title="一元街道改造")
    fgw = make_task(lead="WH-FGW", parent=root["id"], by="jiangan_liaison", days=40, title="改造资金安排")
    for child in (dz, yy):
        jiangan.act(child["id"], "issue")
    dazhi.act(dz["id"], "sign")
    community = make_task(lead="WH-JA-DZ-SQ1", parent=dz["id"], by="dazhi_liaison", days=30, title="三阳社区改造")
    dazhi.act(community["id"], "issue")
    return {"root": root, "dz": dz, "yy": yy, "fgw": fgw, "community": community}


def test_parent_id_lists_the_direct_children_the_caller_sees(act_as, decomposed, unit_ids):
    t = {name: task["id"] for name, task in decomposed.items()}

    def ids(username: str, **params) -> list[int]:
        resp = act_as(username).get(TASKS, params=params)
        assert resp.status_code == 200, resp.text
        return [item["id"] for item in resp.json()["items"]]

    # The children, newest first: neither the parent itself nor the community a level below.
    assert ids("supervisor", parent_id=t["root"]) == [t["fgw"], t["yy"], t["dz"]]
    assert ids("jiangan_liaison", parent_id=t["root"]) == [t["fgw"], t["yy"], t["dz"]]  # issued them all
    assert ids("supervisor", parent_id=t["dz"]) == [t["community"]]
    assert ids("supervisor", parent_id=t["community"]) == []
    # Scope still applies: a street sees its own child only, not its neighbour's; 市发改委 does not
    # see the draft meant for it; an unrelated unit sees none; the district, which takes no part
    # in the community's task, does not see that grandchild either.
    assert ids("dazhi_liaison", parent_id=t["root"]) == [t["dz"]]
    assert ids("fgw_liaison", parent_id=t["root"]) == []
    assert ids("jyj_liaison", parent_id=t["root"]) == []
    assert ids("jiangan_liaison", parent_id=t["dz"]) == []
    act_as("jiangan_liaison").act(t["fgw"], "issue")
    assert ids("fgw_liaison", parent_id=t["root"]) == [t["fgw"]]

    # With the other filters, all of which must hold.
    assert ids("supervisor", parent_id=t["root"], lead_unit_id=unit_ids["WH-JA-YY"]) == [t["yy"]]
    assert ids("supervisor", parent_id=t["root"], status="assigned") == [t["fgw"], t["yy"]]
    assert ids("supervisor", parent_id=t["root"], due_before=in_days(55)) == [t["fgw"], t["yy"]]
    assert ids("supervisor", parent_id=t["root"], root_id=t["root"]) == [t["fgw"], t["yy"], t["dz"]]
    assert ids("supervisor", parent_id=t["dz"], root_id=t["community"]) == []

    # Pages follow next_cursor like any list.
    seen, cursor = [], None
    while True:
        page = act_as("supervisor").get(TASKS, params={"parent_id": t["root"], "limit": 2,
                                                       **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [t["fgw"], t["yy"], t["dz"]]

    for bad in ("abc", "1.5", ""):
        resp = act_as("supervisor").get(TASKS, params={"parent_id": bad})
        assert resp.status_code == 422, (bad, resp.text)
        assert resp.json()["errors"][0]["field"] == "parent_id"


def test_pages_of_other_parents_and_words_share_one_statement(act_as, decomposed):
    """A statement is kept per shape of filters, the values bound: opening parent after parent
    (or searching word after word) answers each with its own tasks from one kept statement."""
    from luoshi.tasks import read

    t = {name: task["id"] for name, task in decomposed.items()}
    sup = act_as("supervisor")

    def ids(**params) -> list[int]:
        resp = sup.get(TASKS, params=params)
        assert resp.status_code == 200, resp.text
        return [item["id"] for item in resp.json()["items"]]

    read._PAGES.clear()
    assert ids(parent_id=t["root"]) == [t["fgw"], t["yy"], t["dz"]]
    assert ids(parent_id=t["dz"]) == [t["community"]]
    assert ids(parent_id=t["community"]) == []
    assert ids(parent_id=t["root"]) == [t["fgw"], t["yy"], t["dz"]]
    assert len(read._PAGES._items) == 1
    titles = {item["id"]: item["title"] for item in sup.get(TASKS, params={"root_id": t["root"]}).json()["items"]}
    word = titles[t["dz"]][:2]
    assert t["dz"] in ids(q=word, root_id=t["root"])
    assert ids(q="no such words", root_id=t["root"]) == []
    assert len(read._PAGES._items) == 3  # parent; root; root and words


def test_search_takes_percent_and_underscore_literally(act_as, make_task):
    sup = act_as("supervisor")
    plain = make_task(title="完成率100%的项目")
    other = make_task(title="完成率100的项目之外")
    underscored = make_task(title="编号A_1的项目")
    make_task(title="编号AB1的项目")

    def ids(q: str) -> list[int]:
        return [item["id"] for item in sup.get(TASKS, params={"q": q}).json()["items"]]

    assert ids("100%的") == [plain["id"]]
    assert ids("100") == [other["id"], plain["id"]]
    assert ids("A_1") == [underscored["id"]]
    assert ids("%") == [plain["id"]]
    assert ids("/") == []


def test_a_child_listed_by_parent_carries_the_actions_of_its_detail(act_as, decomposed):
    """The decomposition page offers editing a child from the list's allowed_actions."""
    for username in ("jiangan_liaison", "supervisor", "dazhi_liaison"):
        caller = act_as(username)
        for item in caller.get(TASKS, params={"parent_id": decomposed["root"]["id"]}).json()["items"]:
            detail = caller.get(f"{TASKS}/{item['id']}").json()
            assert item["allowed_actions"] == detail["allowed_actions"], (username, item["title"])
            assert item["version"] == detail["version"]
            assert ("edit" in item["allowed_actions"]) == bool(detail["editable_fields"])
    # The district that decomposed the key work may edit its children, issued or not; the street
    # that leads one of them edits only its own figures, not what it was given.
    listed = act_as("jiangan_liaison").get(TASKS, params={"parent_id": decomposed["root"]["id"]}).json()["items"]
    assert all("edit" in item["allowed_actions"] for item in listed)
    fields = {name: set(act_as("jiangan_liaison").get(f"{TASKS}/{decomposed[name]['id']}").json()["editable_fields"])
              for name in ("yy", "dz")}
    assert {"title", "lead_unit_id", "deadline"} <= fields["yy"]
    # Signed for: the lead unit is settled, the rest may still change.
    assert "lead_unit_id" not in fields["dz"] and {"title", "deadline"} <= fields["dz"]
    street = act_as("dazhi_liaison").get(f"{TASKS}/{decomposed['dz']['id']}").json()
    assert "edit" in street["allowed_actions"] and street["editable_fields"] == ["milestones"]


def test_patch_with_if_match_and_the_decomposition_rules(act_as, make_task, unit_ids):
    sup = act_as("supervisor")
    parent = make_task(lead="WH-FGW", coop=["WH-ZJJ"], days=40)
    child = make_task(lead="WH-FGW", parent=parent["id"], days=30)

    def patch(task, body, caller=sup):
        current = caller.get(f"{TASKS}/{task['id']}").json()["version"]
        return caller.patch(f"{TASKS}/{task['id']}", body, headers={"If-Match": str(current)})

    moved = patch(parent, {"deadline": in_days(35), "cooperating_unit_ids": [unit_ids["WH-SWJ"]],
                           "milestones": [{"title": "方案", "planned_date": in_days(5)}], "tags": ["营商环境"]})
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body["deadline"] == in_days(35) and body["original_deadline"] == in_days(35)  # still a draft
    assert [a["unit"]["id"] for a in body["assignments"]] == [unit_ids["WH-FGW"], unit_ids["WH-SWJ"]]
    assert body["milestones"][0]["title"] == "方案" and body["tags"] == ["营商环境"]
    too_early = patch(parent, {"deadline": in_days(20)})
    assert too_early.status_code == 422 and too_early.json()["errors"][0]["field"] == "deadline"
    assert patch(child, {"deadline": in_days(36)}).status_code == 422
    assert patch(child, {"lead_unit_id": unit_ids["WH-JYJ"]}).status_code == 422
    assert patch(child, {"lead_unit_id": unit_ids["WH-SWJ"]}).status_code == 200  # a cooperating unit
    assert patch(parent, {"progress": 50}).json()["errors"][0]["field"] == "progress"

    sup.act(parent["id"], "issue")
    issued = patch(parent, {"deadline": in_days(39)}).json()
    assert issued["original_deadline"] == in_days(35) and issued["deadline"] == in_days(39)
    events = sup.get(f"{TASKS}/{parent['id']}/events").json()
    assert events[-1]["action"] == "update" and events[-1]["payload"]["before"]["deadline"] == in_days(35)


def test_suspend_pauses_the_clock_and_reopen_reopens(act_as, make_task, client, as_user, clock):
    sup, fgw = act_as("supervisor"), act_as("fgw_liaison")
    task = make_task(lead="WH-FGW", days=20, deadline_day_count="calendar")
    assert task["deadline_day_count"] == "calendar"
    sup.act(task["id"], "issue")
    fgw.act(task["id"], "sign")
    sup.act(task["id"], "suspend", reason="等待上级政策")
    clock.set(utcnow() + timedelta(days=10))
    sup = Caller(client, as_user("supervisor"))
    fgw = Caller(client, as_user("fgw_liaison"))
    assert sup.get(f"{TASKS}/{task['id']}").json()["deadline_state"] == "normal"
    resumed = sup.act(task["id"], "resume", reason="政策已明确")
    assert resumed["status"] == "in_progress"
    assert date.fromisoformat(resumed["deadline"]) == date.fromisoformat(task["deadline"]) + timedelta(days=10)
    assert resumed["original_deadline"] == task["deadline"]
    fgw.report_completion(task["id"])
    fgw.act(task["id"], "submit")
    sup.act(task["id"], "approve")
    reopened = sup.act(task["id"], "reopen", reason="回访发现问题未解决")
    assert reopened["status"] == "in_progress" and reopened["completed_at"] is None
    assert {a["capacity"]: a["state"] for a in reopened["assignments"]} == {"lead": "signed"}
    assert "submit" in fgw.get(f"{TASKS}/{task['id']}").json()["allowed_actions"]


def test_resume_moves_a_working_day_deadline_by_the_working_days_paused(act_as, make_task, clock):
    # Paused from Friday 25 September to Friday 9 October 2026: National Day (1–7 October) is
    # inside, so only 5 working days passed (28, 29, 30 September; 8, 9 October).
    sup, fgw = act_as("supervisor"), act_as("fgw_liaison")  # tokens expire by the real clock
    clock.set(datetime(2026, 9, 25, 2, tzinfo=UTC))
    task = make_task(lead="WH-FGW", deadline="2026-10-30", deadline_day_count="working")
    sup.act(task["id"], "issue")
    fgw.act(task["id"], "sign")
    sup.act(task["id"], "suspend", reason="等待上级政策")
    clock.set(datetime(2026, 10, 9, 2, tzinfo=UTC))
    resumed = sup.act(task["id"], "resume", reason="政策已明确")
    # Friday 30 October + 5 working days = Friday 6 November (calendar days would give 13 November).
    assert resumed["deadline"] == "2026-11-06"
    assert resumed["original_deadline"] == "2026-10-30"


def test_reassigning_the_lead_unit_restarts_the_sign_clock(db, act_as, make_task, unit_ids):
    task = make_task(lead="WH-FGW", coop=["WH-ZJJ"])
    act_as("supervisor").act(task["id"], "issue")
    row = repo.get_with_assignments(db, task["id"])
    assert row is not None
    new = reassign_lead_unit(db, row, unit_ids["WH-ZJJ"], None, reason="职能调整，由住建局牵头")
    db.flush()
    assert new.unit_id == unit_ids["WH-ZJJ"] and new.capacity == "lead" and new.assigned_at is not None
    assert [(a.unit_id, a.capacity) for a in row.assignments] == [(unit_ids["WH-ZJJ"], "lead")]
    assert row.lead_unit_id == unit_ids["WH-ZJJ"]
    db.commit()
    seen = act_as("zjj_liaison").get(f"{TASKS}/{task['id']}").json()
    assert seen["allowed_actions"] == ["sign", "dispute", "attach"]  # the new lead signs for it, or says "not ours"
    assert act_as("fgw_liaison").get(f"{TASKS}/{task['id']}").status_code == 404


@pytest.mark.parametrize("ref, ok", [
    ("武政办〔2018〕105号", True), ("汕府辦函〔2023〕38號", True), ("市委常委会会议纪要", True),
    ("武政办[2018]105号", False), ("武政办（2018）105号", False), ("武政办〔18〕105号", False),
    ("2018年105号", False),
])
def test_document_numbers(ref, ok):
    if ok:
        assert check_source_ref(ref) == ref
    else:
        with pytest.raises(ValueError):
            check_source_ref(ref)


def test_deadline_states_use_working_days():
    # Friday 2026-09-25: three working days ahead skips the weekend and lands on Wednesday 30th;
    # the National Day holiday (1–7 October) is not counted.
    friday = DeadlineClock(date(2026, 9, 25), date(2026, 9, 30))
    assert friday.state("in_progress", date(2026, 9, 30), None) == "due_soon"
    assert friday.state("in_progress", date(2026, 10, 8), None) == "normal"
    assert friday.state("in_progress", date(2026, 9, 24), None) == "overdue"
    assert friday.state("suspended", date(2026, 9, 24), None) == "normal"
    assert friday.state("completed", date(2026, 9, 24), False) == "late"
    assert friday.state("cancelled", date(2026, 9, 24), None) is None
    assert warning_limit(date(2026, 9, 25), 3) == date(2026, 9, 30)
    # After National Day: Thursday 8th, Friday 9th and Saturday 10th, a make-up workday (调休).
    assert warning_limit(date(2026, 9, 30), 3) == date(2026, 10, 10)
