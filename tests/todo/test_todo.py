"""My to-do (我的待办): what waits on each role, with counts, as the loop moves."""

from sqlalchemy import event

from tests.tasks.conftest import TASKS, in_days

TODO = "/api/v1/todo"


def counts(caller) -> dict[str, int]:
    resp = caller.get(TODO)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert [g["kind"] for g in body["groups"]] == ["sign", "report", "review", "respond", "approve"]
    assert body["total"] == sum(g["count"] for g in body["groups"])
    return {g["kind"]: g["count"] for g in body["groups"] if g["count"]}


def test_todo_follows_the_loop(act_as, make_task):
    sup, fgw, zjj = act_as("supervisor"), act_as("fgw_liaison"), act_as("zjj_liaison")
    task = make_task(lead="WH-FGW", coop=["WH-ZJJ"])
    assert counts(fgw) == {} and counts(sup) == {}
    sup.act(task["id"], "issue")
    assert counts(fgw) == {"sign": 1} and counts(zjj) == {"sign": 1}
    item = fgw.get(TODO).json()["groups"][0]["items"][0]
    assert item["task_id"] == task["id"] and item["ref_type"] == "assignment"
    assert item["deadline_state"] == "normal" and item["title"] == task["title"]
    fgw.act(task["id"], "sign")
    zjj.act(task["id"], "sign")
    assert counts(fgw) == {"report": 1} and counts(zjj) == {"report": 1}
    waive_id = next(a["id"] for a in task["assignments"] if a["capacity"] == "cooperating")
    assert sup.post(f"{TASKS}/{task['id']}/assignments/{waive_id}/waive", {"reason": "无需配合"}).status_code == 200
    assert counts(zjj) == {}
    fgw.report_completion(task["id"])
    fgw.act(task["id"], "submit")
    assert counts(fgw) == {} and counts(sup) == {"approve": 1}
    sup.act(task["id"], "approve")
    assert counts(sup) == {}


def test_every_role_gets_an_answer(act_as):
    for username in ("admin", "auditor", "secadmin", "mayor", "vicemayor", "fgw_head", "jiangan_supervisor"):
        body = act_as(username).get(TODO).json()
        assert body["total"] == 0 and len(body["groups"]) == 5


def _everything_waits(act_as, make_task, unit_ids, user_ids) -> None:
    """Data that puts items of all three domains (tasks, reports, supervision) on the to-do of
    the lead unit (zjj_liaison) and of the office (supervisor)."""
    sup, zjj, fgw = act_as("supervisor"), act_as("zjj_liaison"), act_as("fgw_liaison")
    worked = make_task(lead="WH-ZJJ", coop=["WH-FGW"], leader_id=user_ids["vicemayor"], days=40, title="在办事项")
    sup.act(worked["id"], "issue")
    zjj.act(worked["id"], "sign")
    fgw.act(worked["id"], "sign")
    unsigned = make_task(lead="WH-ZJJ", days=3, title="待签事项")
    sup.act(unsigned["id"], "issue")
    disputed = make_task(lead="WH-FGW", days=50, title="有异议事项")
    sup.act(disputed["id"], "issue")
    finished = make_task(lead="WH-ZJJ", days=20, title="待审批事项")
    sup.act(finished["id"], "issue")
    zjj.act(finished["id"], "sign")
    zjj.report_completion(finished["id"])
    zjj.act(finished["id"], "submit")
    task_url = f"{TASKS}/{worked['id']}"
    for caller, text in ((fgw, "配合部分进展"), (zjj, "牵头单位进展")):
        report = caller.post(f"{task_url}/reports", {"progress_text": text})
        assert report.status_code == 201, report.text
        assert caller.post(f"/api/v1/reports/{report.json()['id']}/submit").status_code == 200
    assert sup.post(f"{task_url}/supervision-actions", {"unit_id": unit_ids["WH-ZJJ"], "level": "notice",
                                                        "content": "请说明进度"}).status_code == 201
    assert act_as("vicemayor").post(f"{task_url}/instructions", {"content": "请抓紧落实"}).status_code == 201
    assert zjj.post(f"{task_url}/coordination-requests", {
        "subject": "用地协调", "content": "需协调用地指标", "consultation": "已与市发改委会商两次，未达成一致",
        "consulted_unit_ids": [unit_ids["WH-FGW"]]}).status_code == 201
    assert zjj.post(f"{task_url}/extension-requests", {"requested_deadline_date": in_days(70),
                                                       "reason": "等待批复"}).status_code == 201
    assert fgw.post(f"{TASKS}/{disputed['id']}/disputes", {"reason": "不属本单位"}).status_code == 201


def _waiting(caller, limit: int = 20) -> dict[str, tuple[int, list[str]]]:
    resp = caller.get(TODO, params={"limit": limit})
    assert resp.status_code == 200, resp.text
    return {g["kind"]: (g["count"], [f"{i['ref_type']}:{i['title']}" for i in g["items"]])
            for g in resp.json()["groups"] if g["count"]}


def test_parts_of_every_domain_merge_into_the_same_groups(act_as, make_task, unit_ids, user_ids):
    _everything_waits(act_as, make_task, unit_ids, user_ids)
    zjj, sup = act_as("zjj_liaison"), act_as("supervisor")
    # What the providers gave when each part was its own query, merged by urgency.
    assert _waiting(zjj) == {
        "sign": (1, ["assignment:待签事项"]),
        "report": (1, ["task:在办事项"]),
        "review": (1, ["report:在办事项"]),
        "respond": (2, ["supervision_action:在办事项", "instruction:在办事项"]),
    }
    assert _waiting(sup) == {
        "review": (1, ["report:在办事项"]),
        "respond": (2, ["dispute:有异议事项", "coordination:在办事项"]),
        "approve": (2, ["task:待审批事项", "extension:在办事项"]),
    }
    # Counts stay whole when the items are cut (one row per part still carries its total) and
    # when only the counts are asked for; the item kept is the most urgent of all parts.
    for caller in (zjj, sup):
        full = _waiting(caller)
        assert _waiting(caller, limit=1) == {k: (n, items[:1]) for k, (n, items) in full.items()}
        assert _waiting(caller, limit=0) == {k: (n, []) for k, (n, _) in full.items()}


def test_each_item_names_the_unit_concerned(act_as, make_task, unit_ids, user_ids):
    _everything_waits(act_as, make_task, unit_ids, user_ids)

    def named(username: str) -> set[tuple[str, str, str]]:
        body = act_as(username).get(TODO).json()
        return {(g["kind"], i["ref_type"], i["unit_name"]) for g in body["groups"] for i in g["items"]}

    # The lead unit's own work bears its own name; the cooperating unit's report, the sender's.
    assert named("zjj_liaison") == {
        ("sign", "assignment", "市住建局"), ("report", "task", "市住建局"), ("review", "report", "市发改委"),
        ("respond", "supervision_action", "市住建局"), ("respond", "instruction", "市住建局"),
    }
    assert named("supervisor") == {
        ("review", "report", "市住建局"), ("respond", "dispute", "市发改委"), ("respond", "coordination", "市住建局"),
        ("approve", "task", "市住建局"), ("approve", "extension", "市住建局"),
    }


def test_a_coordination_request_waits_only_on_the_office_that_may_answer_it(act_as, make_task, unit_ids):
    """The district office sees a city task its district leads, but the city office answers
    the district's request for coordination: it is on the city's to-do, not the district's."""
    city, district, lead = act_as("supervisor"), act_as("jiangan_supervisor"), act_as("jiangan_liaison")
    task = make_task(lead="WH-JA", coop=["WH-FGW"], title="区级牵头事项")
    city.act(task["id"], "issue")
    lead.act(task["id"], "sign")
    assert district.get(f"{TASKS}/{task['id']}").status_code == 200
    created = lead.post(f"{TASKS}/{task['id']}/coordination-requests", {
        "subject": "跨区协调", "content": "需协调资金", "consultation": "已与市发改委会商，未达成一致",
        "consulted_unit_ids": [unit_ids["WH-FGW"]]})
    assert created.status_code == 201, created.text
    assert _waiting(city) == {"respond": (1, ["coordination:区级牵头事项"])}
    assert _waiting(district) == {}
    refused = district.post(f"/api/v1/coordination-requests/{created.json()['id']}/opinion",
                            {"decision": "answer", "opinion": "同意协调"})
    assert refused.status_code == 403


def test_the_todo_statement_carries_its_values_in_its_text(act_as, make_task, unit_ids, user_ids, connection):
    """Nothing in a caller's to-do statement varies between its runs, so its values are written
    into it and it is sent unprepared: PostgreSQL plans it for these values, not for any (a
    plan for any values read the office's to-do three times slower)."""
    _everything_waits(act_as, make_task, unit_ids, user_ids)
    sent: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "UNION ALL" in statement:
            sent.append((statement, parameters))
            # ... and is never prepared (tests/test_unprepared.py): no plan kept per caller.
            assert context.execution_options["luoshi_prepare"] is False

    engine = connection.engine  # the test's own database (the one holding the demo organisation)
    event.listen(engine, "before_cursor_execute", capture)
    try:
        for username in ("supervisor", "zjj_liaison"):
            assert act_as(username).get(TODO).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert len(sent) == 2
    for statement, parameters in sent:
        assert "'submitted'" in statement and "LIMIT 20" in statement
        if engine.dialect.name == "postgresql":
            assert not parameters
        else:  # SQLAlchemy writes SQLite's "no limit" before an OFFSET as a parameter (-1)
            assert set(parameters) <= {-1, 0}


def test_ranking_by_id_first_gives_the_same_todo(act_as, make_task, unit_ids, user_ids, monkeypatch):
    """Each part may be ranked by id before its rows are read (``service._ranks_by_id``: SQLite,
    and PostgreSQL for offices); either way every caller gets the same to-do, item for item."""
    from luoshi import memo
    from luoshi.todo import service

    _everything_waits(act_as, make_task, unit_ids, user_ids)
    callers = ("supervisor", "zjj_liaison", "fgw_liaison", "fgw_head", "vicemayor")
    answers = {}
    for by_id in (False, True):
        memo.clear_all()  # the statements are kept per caller and day
        monkeypatch.setattr(service, "_ranks_by_id", lambda session, current, by_id=by_id: by_id)
        answers[by_id] = {(name, limit): act_as(name).get(TODO, params={"limit": limit}).json()
                          for name in callers for limit in (0, 1, 20)}
    assert answers[True] == answers[False]
    assert sum(answers[True][("supervisor", 20)]["groups"][i]["count"] for i in range(5)) == 5
    assert sum(len(g["items"]) for g in answers[True][("zjj_liaison", 20)]["groups"]) == 5
