"""Obligations, slips and the calendar through the API, with the task core's real transitions."""

from datetime import date

from sqlalchemy import select

from luoshi.deadlines.jobs import deadline_tick
from luoshi.notifications.models import Notification
from tests.deadlines.factory import user
from tests.deadlines.test_scan import at_beijing

TASKS = "/api/v1/tasks"
NAMES = ("supervisor", "zwj_liaison", "fgw_liaison", "jyj_liaison", "zjj_liaison")


def tokens(as_user):  # type: ignore[no-untyped-def]
    """Headers made before the clock moves: token expiry is checked against the real time."""
    made = {name: as_user(name) for name in NAMES}
    return made.__getitem__


def _ids(org):  # type: ignore[no-untyped-def]
    from luoshi.org.models import Unit

    return {code: uid for uid, code in org.execute(select(Unit.id, Unit.code)).all()}


def _issue(client, as_user, org, deadline: str, cycle: str = "monthly") -> dict:  # type: ignore[no-untyped-def]
    units = _ids(org)
    sup = as_user("supervisor")
    body = {"title": "推进政务服务一网通办", "deadline": deadline, "lead_unit_id": units["WH-ZWJ"],
            "cooperating_unit_ids": [units["WH-FGW"]], "leader_id": user(org, "vicemayor").id,
            "feedback_cycle": cycle}
    task = client.post(TASKS, json=body, headers=sup)
    assert task.status_code == 201, task.text
    task = task.json()
    issued = client.post(f"{TASKS}/{task['id']}/transitions", json={"action": "issue", "version": task["version"]},
                         headers=sup)
    assert issued.status_code == 200, issued.text
    return issued.json()


def test_issue_creates_obligations_and_tells_the_units(client, org, as_user, clock) -> None:
    as_user = tokens(as_user)
    clock.set(at_beijing(2026, 9, 28))
    task = _issue(client, as_user, org, "2026-12-31")
    rows = client.get(f"{TASKS}/{task['id']}/obligations", headers=as_user("zwj_liaison")).json()
    lead = [(r["kind"], r["period_key"], r["due_date"]) for r in rows if r["unit_name"] == "市政务服务局"]
    assert lead == [
        ("sign", "sign", "2026-09-29"),
        ("report", "2026-10", "2026-10-26"),  # the 25th is a Sunday
        ("report", "2026-11", "2026-11-25"),
        ("report", "2026-12", "2026-12-25"),
        ("complete", "final", "2026-12-31"),
    ]
    assert all(r["deadline_state"] in ("normal", "due_soon") for r in rows)
    told = org.execute(select(Notification.recipient_id).where(Notification.kind == "task_issued")).scalars().all()
    assert sorted(told) == sorted([user(org, "zwj_liaison").id, user(org, "fgw_liaison").id])
    # Out of scope: another unit gets 404 for the task's obligations.
    assert client.get(f"{TASKS}/{task['id']}/obligations", headers=as_user("jyj_liaison")).status_code == 404

    # The sign-for obligation is met the moment the lead unit signs, on time.
    clock.set(at_beijing(2026, 9, 29, 9))
    signed = client.post(f"{TASKS}/{task['id']}/transitions", json={"action": "sign", "version": task["version"]},
                         headers=as_user("zwj_liaison"))
    assert signed.status_code == 200, signed.text
    mine = client.get("/api/v1/obligations", params={"open": "false"}, headers=as_user("zwj_liaison")).json()
    sign = next(r for r in mine["items"] if r["kind"] == "sign")
    assert sign["deadline_state"] == "on_time" and sign["closed"]
    assert all(r["unit_name"] == "市政务服务局" for r in mine["items"])

    # The cooperating unit never signs: red on its first day past the date.
    clock.set(at_beijing(2026, 9, 30))
    deadline_tick(org)
    red = client.get("/api/v1/obligations", params={"deadline_state": "overdue"},
                     headers=as_user("fgw_liaison")).json()["items"]
    assert [(r["kind"], r["unit_name"]) for r in red] == [("sign", "市发改委")]


def test_suspend_and_resume_through_the_task_core(client, org, as_user, clock) -> None:
    as_user = tokens(as_user)
    clock.set(at_beijing(2026, 9, 28))
    task = _issue(client, as_user, org, "2026-10-30")
    sup = as_user("supervisor")
    clock.set(at_beijing(2026, 9, 30))
    task = client.post(f"{TASKS}/{task['id']}/transitions",
                       json={"action": "suspend", "reason": "等待上级政策", "version": task["version"]},
                       headers=sup).json()
    rows = client.get(f"{TASKS}/{task['id']}/obligations", headers=sup).json()
    assert all(r["paused"] for r in rows if not r["closed"])
    clock.set(at_beijing(2026, 10, 9))  # nine calendar days, across National Day
    task = client.post(f"{TASKS}/{task['id']}/transitions",
                       json={"action": "resume", "reason": "政策已明确", "version": task["version"]},
                       headers=sup).json()
    rows = client.get(f"{TASKS}/{task['id']}/obligations", headers=sup).json()
    final = next(r for r in rows if r["kind"] == "complete" and not r["internal"])
    assert not final["paused"]
    assert final["due_date"] == task["deadline"] != "2026-10-30"
    report = next(r for r in rows if r["kind"] == "report" and not r["internal"])
    # A report date moves by the working days lost: 30 Sep -> 9 Oct is 10/8 and 10/9 = 2.
    assert report["due_date"] == "2026-10-28"


def test_slips_as_data_and_as_a_printable_page(client, org, as_user, clock) -> None:
    as_user = tokens(as_user)
    clock.set(at_beijing(2026, 9, 1))
    task = _issue(client, as_user, org, "2026-09-30", cycle="once")
    sup = as_user("supervisor")
    clock.set(at_beijing(2026, 9, 20))  # two thirds of the time gone, nothing done
    slips = client.get("/api/v1/slips", headers=sup).json()
    assert [(s["task_id"], s["color"]) for s in slips] == [(task["id"], "yellow")]
    clock.set(at_beijing(2026, 10, 8))
    slips = client.get("/api/v1/slips", params={"color": "red"}, headers=sup).json()
    assert slips[0]["days_left"] == -8
    page = client.get("/api/v1/slips/print", headers=sup)
    assert page.headers["content-type"].startswith("text/html")
    assert "红色督查单" in page.text and "推进政务服务一网通办" in page.text
    # A unit outside the task sees no slip for it.
    assert client.get("/api/v1/slips", headers=as_user("jyj_liaison")).json() == []


def test_calendar_lists_holidays_and_adjusted_workdays(client, org, as_user) -> None:
    days = client.get("/api/v1/calendar", params={"start": "2026-09-19", "end": "2026-10-11"},
                      headers=as_user("zjj_liaison")).json()
    by = {d["date"]: d for d in days}
    assert by["2026-09-20"]["is_workday"] and by["2026-09-20"]["holiday"] == "National Day"
    assert not by["2026-10-01"]["is_workday"] and by["2026-10-10"]["is_workday"]
    bad = client.get("/api/v1/calendar", params={"start": "2026-12-01", "end": "2027-01-31"},
                     headers=as_user("zjj_liaison"))
    assert bad.status_code == 422 and bad.json()["code"] == "calendar.not_covered"
    assert date(2026, 10, 10).weekday() == 5


def test_a_submitted_progress_report_meets_the_next_report_obligation(client, org, as_user, clock) -> None:
    as_user = tokens(as_user)
    from luoshi.deadlines.jobs import sync_tasks

    clock.set(at_beijing(2026, 9, 28))
    task = _issue(client, as_user, org, "2026-12-31")
    me = as_user("zwj_liaison")
    task = client.post(f"{TASKS}/{task['id']}/transitions", json={"action": "sign", "version": task["version"]},
                       headers=me).json()
    clock.set(at_beijing(2026, 10, 20))
    draft = client.post(f"{TASKS}/{task['id']}/reports", json={
        "progress_text": "已完成系统对接方案", "percent_done": 30, "problems": "接口标准不统一",
        "next_steps": "10月底前完成联调"}, headers=me)
    assert draft.status_code == 201, draft.text
    sent = client.post(f"/api/v1/reports/{draft.json()['id']}/submit", headers=me)
    assert sent.status_code == 200, sent.text
    # Met at once, in the submission's own transaction ...
    rows = client.get(f"{TASKS}/{task['id']}/obligations", headers=me).json()
    october = next(r for r in rows if r["period_key"] == "2026-10" and not r["internal"])
    assert october["deadline_state"] == "on_time"
    assert october["fulfilled_ref"] == f"report:{draft.json()['id']}"
    # ... so the worker's later pass over the report event finds nothing left to meet.
    clock.advance(seconds=30)
    assert sync_tasks(org).get("reports", 0) == 0
    assert sync_tasks(org) == {"tasks": 0}
    again = client.get(f"{TASKS}/{task['id']}/obligations", headers=me).json()
    assert sum(1 for r in again if (r["fulfilled_ref"] or "").startswith("report:")) == 1
    november = next(r for r in rows if r["period_key"] == "2026-11" and not r["internal"])
    assert not november["closed"]


def test_an_approved_extension_moves_the_deadline_and_clears_the_yellow_card(client, org, as_user, clock) -> None:
    as_user = tokens(as_user)
    from luoshi.deadlines.jobs import deadline_tick, sync_tasks

    clock.set(at_beijing(2026, 9, 1))
    task = _issue(client, as_user, org, "2026-09-30", cycle="once")
    me = as_user("zwj_liaison")
    task = client.post(f"{TASKS}/{task['id']}/transitions", json={"action": "sign", "version": task["version"]},
                       headers=me).json()
    clock.set(at_beijing(2026, 9, 25))
    deadline_tick(org)
    rows = client.get(f"{TASKS}/{task['id']}/obligations", headers=me).json()
    final = next(r for r in rows if r["kind"] == "complete" and not r["internal"])
    assert final["deadline_state"] == "due_soon"
    asked = client.post(f"{TASKS}/{task['id']}/extension-requests",
                        json={"requested_deadline_date": "2026-10-30", "reason": "需等待省级审批"}, headers=me)
    assert asked.status_code == 201, asked.text
    decided = client.post(f"/api/v1/extension-requests/{asked.json()['id']}/decision",
                          json={"decision": "approve"}, headers=as_user("supervisor"))
    assert decided.status_code == 200, decided.text
    # The dates move in the decision's own transaction, before any worker pass.
    moved = client.get(f"{TASKS}/{task['id']}/obligations", headers=me).json()
    assert next(r for r in moved if r["kind"] == "complete" and not r["internal"])["due_date"] == "2026-10-30"
    clock.advance(seconds=30)
    sync_tasks(org)
    deadline_tick(org)
    rows = client.get(f"{TASKS}/{task['id']}/obligations", headers=me).json()
    final = next(r for r in rows if r["kind"] == "complete" and not r["internal"])
    assert (final["due_date"], final["deadline_state"]) == ("2026-10-30", "normal")
    coop = next(r for r in rows if r["kind"] == "complete" and r["internal"])
    assert coop["due_date"] == "2026-10-28"  # two working days before the new date
