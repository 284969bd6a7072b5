"""Supervision actions with answers and their own deadlines, coordination refused without prior
consultation, and a leader's instruction creating an obligation."""

from sqlalchemy import select

from luoshi.deadlines.jobs import deadline_tick
from luoshi.deadlines.models import Obligation
from luoshi.notifications.models import Notification
from luoshi.tasks.models import TaskEvent
from tests.deadlines.factory import user
from tests.deadlines.test_api import TASKS, _ids
from tests.deadlines.test_scan import at_beijing

NAMES = ("supervisor", "zjj_liaison", "zjj_head", "fgw_liaison", "jyj_liaison", "vicemayor", "mayor",
         "zjj_liaison")


def _setup(client, as_user, org, clock):  # type: ignore[no-untyped-def]
    heads = {n: as_user(n) for n in NAMES if n != "zjj_head"}
    clock.set(at_beijing(2026, 9, 28))
    units = _ids(org)
    body = {"title": "优化营商环境", "deadline": "2026-12-31", "lead_unit_id": units["WH-ZJJ"],
            "cooperating_unit_ids": [units["WH-FGW"]], "leader_id": user(org, "vicemayor").id}
    task = client.post(TASKS, json=body, headers=heads["supervisor"]).json()
    task = client.post(f"{TASKS}/{task['id']}/transitions", json={"action": "issue", "version": task["version"]},
                       headers=heads["supervisor"]).json()
    return task, heads, units


def test_a_formal_notice_wants_a_receipt_and_an_answer_by_its_date(client, org, as_user, clock) -> None:
    task, h, units = _setup(client, as_user, org, clock)
    url = f"{TASKS}/{task['id']}/supervision-actions"
    # Only the office supervises; a unit may not.
    assert client.post(url, json={"unit_id": units["WH-ZJJ"], "level": "urge", "content": "请加快"},
                       headers=h["zjj_liaison"]).status_code == 403
    # Only a unit taking part can be supervised.
    assert client.post(url, json={"unit_id": units["WH-JYJ"], "level": "urge", "content": "请加快"},
                       headers=h["supervisor"]).status_code == 422
    made = client.post(url, json={"unit_id": units["WH-ZJJ"], "level": "notice", "content": "进度滞后，请说明原因"},
                       headers=h["supervisor"])
    assert made.status_code == 201, made.text
    notice = made.json()
    # Five working days over National Day: 29, 30 Sep, 8, 9 Oct and the adjusted Saturday 10 Oct.
    assert notice["response_due_date"] == "2026-10-10"
    notes = org.execute(select(Notification).where(
        Notification.data["supervision_action_id"].as_integer() == notice["id"])).scalars().all()
    assert {n.recipient_id for n in notes} == {user(org, "zjj_liaison").id, user(org, "zjj_head").id}
    assert all(n.requires_receipt and n.urgent for n in notes)
    # The receipt lands on the action.
    mine = next(n for n in notes if n.recipient_id == user(org, "zjj_liaison").id)
    client.post(f"/api/v1/notifications/{mine.id}/receipt", headers=h["zjj_liaison"])
    listed = client.get(url, headers=h["supervisor"]).json()
    assert listed[0]["receipt_at"] is not None
    # The cooperating unit does not see an action addressed to the lead unit.
    assert client.get(url, headers=h["fgw_liaison"]).json() == []
    # Unanswered by the date: the answer obligation turns red.
    clock.set(at_beijing(2026, 10, 13))
    deadline_tick(org)
    answer = org.execute(select(Obligation).where(Obligation.id == notice["obligation_id"])).scalar_one()
    org.refresh(answer)
    assert answer.state == "overdue"
    # Another unit may not answer for it; the lead unit's answer is late but recorded.
    respond = f"/api/v1/supervision-actions/{notice['id']}/response"
    assert client.post(respond, json={"response": "已整改"}, headers=h["fgw_liaison"]).status_code == 404
    done = client.post(respond, json={"response": "已召开专题会整改"}, headers=h["zjj_liaison"])
    assert done.status_code == 200 and done.json()["responded_at"]
    org.refresh(answer)
    assert answer.state == "late" and answer.closed_at is not None
    assert client.post(respond, json={"response": "again"}, headers=h["zjj_liaison"]).status_code == 409
    events = org.execute(select(TaskEvent.action).where(TaskEvent.task_id == task["id"])).scalars().all()
    assert "supervision_notice" in events and "supervision_answered" in events


def test_coordination_is_refused_without_prior_consultation(client, org, as_user, clock) -> None:
    task, h, units = _setup(client, as_user, org, clock)
    url = f"{TASKS}/{task['id']}/coordination-requests"
    ask = {"subject": "数据共享接口", "content": "需市发改委开放项目审批数据接口"}
    consulted = {"consultation": "已于9月20日召开会商会，双方同意共享方案", "consulted_unit_ids": [units["WH-FGW"]]}
    # The lead unit signs for the task before it asks for anything.
    unsigned = client.post(url, json={**ask, **consulted}, headers=h["zjj_liaison"])
    assert unsigned.status_code == 409 and unsigned.json()["code"] == "task.sign_first"
    signed = client.post(f"{TASKS}/{task['id']}/transitions", json={"action": "sign"}, headers=h["zjj_liaison"])
    assert signed.status_code == 200, signed.text
    # The cooperating unit cannot raise one: lead unit only.
    refused = client.post(url, json={**ask, "consultation": "已于9月20日召开会商会，双方同意共享方案",
                                     "consulted_unit_ids": [units["WH-FGW"]]}, headers=h["fgw_liaison"])
    assert refused.status_code == 403 and refused.json()["code"] == "coordination.lead_only"
    # No consultation stated: refused, nothing written.
    bare = client.post(url, json=ask, headers=h["zjj_liaison"])
    assert bare.status_code == 422 and bare.json()["code"] == "coordination.no_prior_consultation"
    no_units = client.post(url, json={**ask, "consultation": "已于9月20日召开会商会，双方同意共享方案"},
                           headers=h["zjj_liaison"])
    assert no_units.status_code == 422 and no_units.json()["errors"][0]["field"] == "consulted_unit_ids"
    assert client.get(url, headers=h["supervisor"]).json() == []
    made = client.post(url, json={**ask, "consultation": "已于9月20日召开会商会，分歧在数据口径",
                                  "consulted_unit_ids": [units["WH-FGW"]]}, headers=h["zjj_liaison"])
    assert made.status_code == 201, made.text
    req = made.json()
    # The office passes it to the leader with its proposal; the leader decides.
    referred = client.post(f"/api/v1/coordination-requests/{req['id']}/opinion",
                           json={"decision": "refer", "opinion": "建议由市发改委牵头统一数据口径"},
                           headers=h["supervisor"])
    assert referred.status_code == 200 and referred.json()["status"] == "referred"
    assert client.post(f"/api/v1/coordination-requests/{req['id']}/decision",
                       json={"decision": "同意"}, headers=h["mayor"]).status_code == 403
    decided = client.post(f"/api/v1/coordination-requests/{req['id']}/decision",
                          json={"decision": "同意督查室意见，10月底前完成"}, headers=h["vicemayor"])
    assert decided.status_code == 200 and decided.json()["status"] == "decided"
    inst = client.get(f"{TASKS}/{task['id']}/instructions", headers=h["zjj_liaison"]).json()
    assert inst[0]["coordination_id"] == req["id"] and inst[0]["unit_id"] == units["WH-ZJJ"]


def test_a_leader_instruction_creates_an_obligation_for_the_lead_unit(client, org, as_user, clock) -> None:
    task, h, units = _setup(client, as_user, org, clock)
    url = f"{TASKS}/{task['id']}/instructions"
    assert client.post(url, json={"content": "请抓紧"}, headers=h["supervisor"]).status_code == 403
    # A leader not in charge of the task does not see it.
    made = client.post(url, json={"content": "请市住建局专题研究，10月15日前报告", "answer_due_date": "2026-10-15"},
                       headers=h["vicemayor"])
    assert made.status_code == 201, made.text
    inst = made.json()
    rows = client.get(f"{TASKS}/{task['id']}/obligations", headers=h["zjj_liaison"]).json()
    ob = next(r for r in rows if r["kind"] == "instruction")
    assert ob["due_date"] == "2026-10-15" and ob["unit_name"] == "市住建局"
    assert client.post(f"/api/v1/instructions/{inst['id']}/answer", json={"answer": "已研究"},
                       headers=h["fgw_liaison"]).status_code == 403
    clock.set(at_beijing(2026, 10, 14))
    done = client.post(f"/api/v1/instructions/{inst['id']}/answer", json={"answer": "已召开专题会研究落实"},
                       headers=h["zjj_liaison"])
    assert done.status_code == 200
    rows = client.get(f"{TASKS}/{task['id']}/obligations", headers=h["zjj_liaison"]).json()
    assert next(r for r in rows if r["kind"] == "instruction")["deadline_state"] == "on_time"
    told = org.execute(select(Notification).where(Notification.recipient_id == user(org, "vicemayor").id,
                                                  Notification.kind == "instruction")).scalars().all()
    assert len(told) == 1


def test_what_waits_shows_in_the_todo(client, org, as_user, clock) -> None:
    task, h, units = _setup(client, as_user, org, clock)
    client.post(f"{TASKS}/{task['id']}/supervision-actions",
                json={"unit_id": units["WH-ZJJ"], "level": "notice", "content": "请说明进度"}, headers=h["supervisor"])
    client.post(f"{TASKS}/{task['id']}/instructions", json={"content": "请抓紧落实"}, headers=h["vicemayor"])
    client.post(f"{TASKS}/{task['id']}/transitions", json={"action": "sign"}, headers=h["zjj_liaison"])
    client.post(f"{TASKS}/{task['id']}/coordination-requests",
                json={"subject": "用地协调", "content": "需协调用地指标",
                      "consultation": "已与市发改委会商两次，未达成一致",
                      "consulted_unit_ids": [units["WH-FGW"]]}, headers=h["zjj_liaison"])
    unit = client.get("/api/v1/todo", headers=h["zjj_liaison"]).json()
    respond = next(g for g in unit["groups"] if g["kind"] == "respond")
    assert sorted(i["ref_type"] for i in respond["items"]) == ["instruction", "supervision_action"]
    office = client.get("/api/v1/todo", headers=h["supervisor"]).json()
    respond = next(g for g in office["groups"] if g["kind"] == "respond")
    assert [i["ref_type"] for i in respond["items"]] == ["coordination"]
    # Another unit has nothing of this task waiting.
    other = client.get("/api/v1/todo", headers=h["jyj_liaison"]).json()
    assert next(g for g in other["groups"] if g["kind"] == "respond")["count"] == 0


def test_supervision_records_across_tasks_follow_the_scope(client, org, as_user, clock) -> None:
    task, h, units = _setup(client, as_user, org, clock)
    url = f"{TASKS}/{task['id']}/supervision-actions"
    for unit, level in (("WH-ZJJ", "urge"), ("WH-FGW", "reminder"), ("WH-ZJJ", "notice")):
        made = client.post(url, json={"unit_id": units[unit], "level": level, "content": "请加快推进"},
                           headers=h["supervisor"])
        assert made.status_code == 201, made.text
    office = client.get("/api/v1/supervision-actions", headers=h["supervisor"]).json()["items"]
    assert [a["level"] for a in office] == ["notice", "reminder", "urge"]
    mine = client.get("/api/v1/supervision-actions", headers=h["zjj_liaison"]).json()["items"]
    assert {a["unit_id"] for a in mine} == {units["WH-ZJJ"]}
    due = client.get("/api/v1/supervision-actions", params={"unanswered": "true"}, headers=h["supervisor"]).json()
    assert [a["level"] for a in due["items"]] == ["notice"]
    paged = client.get("/api/v1/supervision-actions", params={"limit": 2}, headers=h["supervisor"]).json()
    rest = client.get("/api/v1/supervision-actions", params={"limit": 2, "cursor": paged["next_cursor"]},
                      headers=h["supervisor"]).json()
    assert len(paged["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert client.get("/api/v1/supervision-actions", headers=h["jyj_liaison"]).json()["items"] == []
