"""The hot endpoints cost a fixed number of SQL statements however much data there is (no N+1)."""

from tests.tasks.conftest import TASKS

TODO = "/api/v1/todo"


def _grow(act_as, make_task, root_id: int, n: int, start: int) -> None:
    """n more sub-tasks, each issued and signed, some with a cooperating unit and a child of their own."""
    sup = act_as("supervisor")
    for i in range(start, start + n):
        lead, coop = ("WH-FGW", ["WH-ZJJ"]) if i % 2 else ("WH-ZJJ", ["WH-FGW", "WH-SWJ"])
        child = make_task(lead=lead, coop=coop, parent=root_id, days=30 + i % 20, title=f"分解事项{i}")
        sup.act(child["id"], "issue")
        act_as("fgw_liaison" if lead == "WH-FGW" else "zjj_liaison").act(child["id"], "sign")
        grandchild = make_task(lead=lead, parent=child["id"], days=20, title=f"子事项{i}")
        sup.act(grandchild["id"], "issue")


def _measure(count_queries, calls) -> dict[str, int]:
    out = {}
    for name, call in calls.items():
        with count_queries() as counter:
            resp = call()
        assert resp.status_code == 200, resp.text
        out[name] = counter.count
    return out


def test_list_detail_tree_and_todo_do_not_grow_with_data(act_as, make_task, user_ids, count_queries):
    sup, fgw, zjj = act_as("supervisor"), act_as("fgw_liaison"), act_as("zjj_liaison")
    root = make_task(lead="WH-FGW", coop=["WH-ZJJ", "WH-SWJ"], leader_id=user_ids["vicemayor"], days=90)
    sup.act(root["id"], "issue")
    fgw.act(root["id"], "sign")
    calls = {
        "list (supervisor)": lambda: sup.get(TASKS, params={"limit": 50}),
        "list filtered (unit)": lambda: fgw.get(TASKS, params={"status": ["assigned", "in_progress"],
                                                              "q": "事项", "deadline_state": "normal"}),
        "detail": lambda: sup.get(f"{TASKS}/{root['id']}"),
        "tree": lambda: sup.get(f"{TASKS}/{root['id']}/tree"),
        "tree (unit)": lambda: zjj.get(f"{TASKS}/{root['id']}/tree"),
        "todo (unit)": lambda: zjj.get(TODO),
        "todo (supervisor)": lambda: sup.get(TODO),
        "todo (unit, unchanged)": lambda: zjj.get(TODO),
        "events": lambda: sup.get(f"{TASKS}/{root['id']}/events"),
    }
    _grow(act_as, make_task, root["id"], 2, 0)
    # A process reads the units' names once, then again only when a unit changes (``org.names``);
    # this to-do, of another limit, is kept apart from the one measured.
    assert zjj.get(TODO, params={"limit": 1}).status_code == 200
    small = _measure(count_queries, calls)
    _grow(act_as, make_task, root["id"], 8, 2)
    large = _measure(count_queries, calls)
    assert large == small
    # The caller with the stamps the to-do is kept under, then (the data changed) the to-do in
    # one statement; an unchanged to-do stops at the first (tests/todo/test_todo_cache.py).
    assert small["todo (unit)"] == small["todo (supervisor)"] == 2 and small["todo (unit, unchanged)"] == 1
    assert sup.get(f"{TASKS}/{root['id']}/tree").json()["rollup"]["open_count"] == 21
    print("\nSQL statements per request:", small)
