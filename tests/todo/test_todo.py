"""My to-do (我的待办): what waits on each role, with counts, as the loop moves."""

from tests.tasks.conftest import TASKS

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
