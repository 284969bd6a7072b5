"""The ``allowed_actions`` of supervision records against their endpoints: a supervision action's
``respond``, an instruction's ``answer``, a coordination request's ``opinion`` and ``decide``. For
the office, the lead unit (市住建局), a cooperating unit (市商务局), the leader in charge (副市长) and
the chief leader (市长): what a record lists is accepted, what it does not is refused (403 or 409)."""

from datetime import timedelta

import pytest

from luoshi.deadlines.calendar import local_today
from luoshi.tasks.models import Task, TaskStatus
from tests.listed import try_each
from tests.reports.factory import make_task, unit

CALLERS = ("supervisor", "zjj_liaison", "swj_liaison", "vicemayor", "mayor")
DUE = str(local_today() + timedelta(days=7))


@pytest.fixture
def task(org, clock):
    return make_task(org, cooperating=("WH-SWJ",))


def _listed(client, as_user, url: str) -> dict[str, dict[int, list[str]]]:
    """Per caller, each record it sees with what it lists."""
    out = {}
    for username in CALLERS:
        rows = client.get(url, headers=as_user(username))
        assert rows.status_code == 200, (username, rows.text)
        out[username] = {r["id"]: r["allowed_actions"] for r in rows.json()}
    return out


def test_the_supervised_unit_answers_what_asks_for_an_answer(client, org, as_user, connection, task):
    url = f"/api/v1/tasks/{task.id}/supervision-actions"
    made = {}
    for name, code, level, due in (("notice", "WH-ZJJ", "notice", DUE), ("reminder", "WH-ZJJ", "reminder", None),
                                   ("urge", "WH-ZJJ", "urge", DUE), ("coop", "WH-SWJ", "notice", DUE)):
        resp = client.post(url, json={"unit_id": unit(org, code).id, "level": level, "content": "请说明进度",
                                      "response_due_date": due}, headers=as_user("supervisor"))
        assert resp.status_code == 201, resp.text
        assert resp.json()["allowed_actions"] == []  # the office does not answer its own action
        made[name] = resp.json()["id"]
    listed = _listed(client, as_user, url)
    for username, rows in listed.items():
        for action_id, actions in rows.items():
            try_each(connection, actions, ["respond"], lambda _, a=action_id, u=username: client.post(
                f"/api/v1/supervision-actions/{a}/response", json={"response": "已整改到位"}, headers=as_user(u)),
                who=(username, action_id))
    respond = {u: sorted(a for a, actions in rows.items() if actions) for u, rows in listed.items()}
    # An action without a date asks for no answer; a unit sees and answers only its own.
    assert respond == {"supervisor": [], "zjj_liaison": sorted([made["notice"], made["urge"]]),
                       "swj_liaison": [made["coop"]], "vicemayor": [], "mayor": []}
    assert set(listed["zjj_liaison"]) == {made["notice"], made["reminder"], made["urge"]}
    assert set(listed["vicemayor"]) == set(made.values())  # leaders see every unit's, answer none
    # Answered: nothing more to do, here or in the list across tasks.
    done = client.post(f"/api/v1/supervision-actions/{made['notice']}/response", json={"response": "已整改到位"},
                       headers=as_user("zjj_liaison"))
    assert done.status_code == 200 and done.json()["allowed_actions"] == []
    across = client.get("/api/v1/supervision-actions", headers=as_user("zjj_liaison")).json()["items"]
    assert {a["id"]: a["allowed_actions"] for a in across} == {
        made["notice"]: [], made["reminder"]: [], made["urge"]: ["respond"]}


def test_a_leader_sees_an_action_it_may_not_answer_as_forbidden_not_missing(client, org, as_user, task):
    made = client.post(f"/api/v1/tasks/{task.id}/supervision-actions", json={
        "unit_id": unit(org, "WH-ZJJ").id, "level": "notice", "content": "请说明进度"}, headers=as_user("supervisor"))
    answer = client.post(f"/api/v1/supervision-actions/{made.json()['id']}/response", json={"response": "代为答复"},
                         headers=as_user("vicemayor"))
    assert answer.status_code == 403
    # The cooperating unit does not see an action on the lead unit at all.
    answer = client.post(f"/api/v1/supervision-actions/{made.json()['id']}/response", json={"response": "代为答复"},
                         headers=as_user("swj_liaison"))
    assert answer.status_code == 404


def test_the_lead_unit_answers_an_instruction_once(client, as_user, connection, task):
    url = f"/api/v1/tasks/{task.id}/instructions"
    made = client.post(url, json={"content": "请专题研究", "answer_due_date": DUE}, headers=as_user("vicemayor"))
    assert made.status_code == 201, made.text
    assert made.json()["allowed_actions"] == []
    iid = made.json()["id"]

    def check() -> dict[str, list[str]]:
        listed = {u: rows[iid] for u, rows in _listed(client, as_user, url).items()}
        for username, actions in listed.items():
            try_each(connection, actions, ["answer"], lambda _, u=username: client.post(
                f"/api/v1/instructions/{iid}/answer", json={"answer": "已召开专题会研究落实"}, headers=as_user(u)),
                who=username)
        return listed

    assert check() == {"supervisor": [], "zjj_liaison": ["answer"], "swj_liaison": [], "vicemayor": [], "mayor": []}
    done = client.post(f"/api/v1/instructions/{iid}/answer", json={"answer": "已召开专题会研究落实"},
                       headers=as_user("zjj_liaison"))
    assert done.status_code == 200 and done.json()["allowed_actions"] == []
    assert check() == {u: [] for u in CALLERS}


def test_coordination_passes_from_the_office_to_the_leader(client, org, as_user, connection, task):
    url = f"/api/v1/tasks/{task.id}/coordination-requests"
    made = client.post(url, json={"subject": "用地协调", "content": "需协调用地指标",
                                  "consultation": "已与市商务局会商两次，未达成一致",
                                  "consulted_unit_ids": [unit(org, "WH-SWJ").id]}, headers=as_user("zjj_liaison"))
    assert made.status_code == 201, made.text
    assert made.json()["allowed_actions"] == []
    cid = made.json()["id"]
    bodies = {"opinion": ("opinion", {"decision": "refer", "opinion": "建议由分管领导协调"}),
              "decide": ("decision", {"decision": "同意督查室意见，月底前解决"})}

    def check() -> dict[str, list[str]]:
        listed = {u: rows[cid] for u, rows in _listed(client, as_user, url).items()}
        for username, actions in listed.items():
            try_each(connection, actions, bodies, lambda a, u=username: client.post(
                f"/api/v1/coordination-requests/{cid}/{bodies[a][0]}", json=bodies[a][1], headers=as_user(u)),
                who=username)
        return listed

    nobody = {u: [] for u in CALLERS}
    assert check() == {**nobody, "supervisor": ["opinion"]}
    referred = client.post(f"/api/v1/coordination-requests/{cid}/opinion", json=bodies["opinion"][1],
                           headers=as_user("supervisor"))
    assert referred.status_code == 200 and referred.json()["allowed_actions"] == []
    # Passed to the task's leader (副市长): the chief leader may not decide it for them.
    assert check() == {**nobody, "vicemayor": ["decide"]}
    # The decision is an instruction to act on: not once the task is closed.
    org.expire_all()
    org.get(Task, task.id).status = TaskStatus.completed
    org.commit()
    assert check() == nobody
    org.get(Task, task.id).status = TaskStatus.in_progress
    org.commit()
    decided = client.post(f"/api/v1/coordination-requests/{cid}/decision", json=bodies["decide"][1],
                          headers=as_user("vicemayor"))
    assert decided.status_code == 200 and decided.json()["allowed_actions"] == []
    assert check() == nobody
