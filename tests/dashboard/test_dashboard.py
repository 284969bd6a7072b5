"""The dashboard counts in SQL over exactly the caller's scope."""

from datetime import date

from tests.tasks.conftest import Caller

DASHBOARD = "/api/v1/dashboard"


def figures(caller) -> dict:
    resp = caller.get(DASHBOARD)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_counts_colours_units_months_and_key_works(act_as, make_task, user_ids, clock, client, as_user):
    sup = act_as("supervisor")
    soon = make_task(lead="WH-ZJJ", days=10, title="老旧小区改造")
    later = make_task(lead="WH-FGW", days=60, title="营商环境优化", leader_id=user_ids["vicemayor"])
    make_task(lead="WH-ZJJ", days=30, title="尚未交办的事项")  # stays a draft
    sup.act(soon["id"], "issue")
    sup.act(later["id"], "issue")
    clock.advance(days=12)  # "soon" is now past its deadline (and the old session has ended)
    body = figures(Caller(client, as_user("supervisor")))
    assert body["total"] == 3
    assert {s["status"]: s["count"] for s in body["by_status"]} == {"assigned": 2, "draft": 1}
    colours = {s["deadline_state"]: s["count"] for s in body["by_deadline_state"]}
    assert colours["overdue"] == 1 and colours["due_soon"] == 0 and colours["normal"] == 2
    # Lead units, worst first; the draft is nobody's load yet.
    units = [(u["unit_name"], u["open"], u["overdue"]) for u in body["units"]]
    assert units == [("市住建局", 1, 1), ("市发改委", 1, 0)]
    months = {m["month"]: (m["completed"], m["open"]) for m in body["months"]}
    assert months[soon["deadline"][:7]][1] >= 1 and sum(o for _, o in months.values()) == 3
    assert [k["title"] for k in body["key_works"]] == ["老旧小区改造", "尚未交办的事项", "营商环境优化"]
    assert body["key_works"][0]["deadline_state"] == "overdue"
    assert date.fromisoformat(body["key_works"][0]["deadline"]) < date.fromisoformat(body["key_works"][2]["deadline"])


def test_a_leader_sees_only_what_they_are_in_charge_of(act_as, make_task, user_ids):
    sup = act_as("supervisor")
    mine = make_task(lead="WH-FGW", leader_id=user_ids["vicemayor"], title="分管事项")
    other = make_task(lead="WH-ZJJ", title="别人分管的事项")
    sup.act(mine["id"], "issue")
    sup.act(other["id"], "issue")
    body = figures(act_as("vicemayor"))
    assert body["total"] == 1 and [k["title"] for k in body["key_works"]] == ["分管事项"]
    assert figures(act_as("mayor"))["total"] == 2  # the chief leader sees the whole city


def test_roles_without_dashboards_are_refused(act_as):
    for username in ("fgw_liaison", "fgw_head", "admin", "auditor"):
        resp = act_as(username).get(DASHBOARD)
        assert resp.status_code == 403, username
        assert resp.json()["code"] == "permission.denied"


def test_query_count_does_not_grow_with_the_data(act_as, make_task, count_queries):
    sup = act_as("supervisor")
    make_task(lead="WH-FGW")
    with count_queries() as few:
        figures(sup)
    for i in range(6):
        child_lead = "WH-ZJJ" if i % 2 else "WH-FGW"
        sup.act(make_task(lead=child_lead, title=f"事项{i}")["id"], "issue")
    with count_queries() as many:
        figures(sup)
    assert many.count == few.count


def late(body: dict) -> list[tuple[str, int, int, int]]:
    return [(u["unit_name"], u["open"], u["due_soon"], u["overdue"]) for u in body["late_units"]]


def test_late_units_are_every_lead_unit_with_an_overdue_or_due_soon_task(act_as, make_task, clock, client, as_user):
    sup = act_as("supervisor")
    for lead, days in (("WH-ZJJ", 10), ("WH-ZJJ", 60), ("WH-FGW", 13), ("WH-FGW", 13), ("WH-SWJ", 60)):
        sup.act(make_task(lead=lead, days=days)["id"], "issue")
    suspended = make_task(lead="WH-JYJ", days=10)
    sup.act(suspended["id"], "issue")
    sup.act(suspended["id"], "suspend", reason="等待上级政策")  # its clock stops: not late
    make_task(lead="WH-JXJ", days=5)  # a draft past its date is nobody's load
    clock.advance(days=12)  # 10 days is overdue now, 13 falls due tomorrow
    body = figures(Caller(client, as_user("supervisor")))
    assert late(body) == [("市住建局", 2, 0, 1), ("市发改委", 2, 2, 0)]
    # The console's totals and its per-unit rows are the same count.
    colours = {s["deadline_state"]: s["count"] for s in body["by_deadline_state"]}
    assert (colours["overdue"], colours["due_soon"]) == (1, 2)
    assert "市商务局" in [u["unit_name"] for u in body["units"]]  # open but on time: load, not late


def test_a_district_office_sees_late_units_of_its_district_only(act_as, make_task, clock, client, as_user):
    sup = act_as("supervisor")
    district = make_task(lead="WH-JA", days=13)
    sup.act(district["id"], "issue")
    act_as("jiangan_liaison").act(district["id"], "sign")
    street = make_task(lead="WH-JA-DZ", parent=district["id"], by="jiangan_liaison", days=10)
    act_as("jiangan_liaison").act(street["id"], "issue")
    sup.act(make_task(lead="WH-FGW", days=10)["id"], "issue")
    clock.advance(days=12)
    city = figures(Caller(client, as_user("supervisor")))
    assert late(city) == [("市发改委", 1, 0, 1), ("大智街道", 1, 0, 1), ("江岸区政府", 1, 1, 0)]
    office = figures(Caller(client, as_user("jiangan_supervisor")))
    assert late(office) == [("大智街道", 1, 0, 1), ("江岸区政府", 1, 1, 0)]
    assert office["total"] == 2
    # Unit users have no dashboard at all (test_roles_without_dashboards_are_refused); their
    # console lists come from GET /tasks, scoped per row.
    assert Caller(client, as_user("dazhi_liaison")).get(DASHBOARD).status_code == 403


def test_late_units_cost_one_query_however_many_units_are_late(act_as, make_task, clock, client, as_user,
                                                               count_queries):
    sup = act_as("supervisor")
    sup.act(make_task(lead="WH-FGW", days=10)["id"], "issue")
    for lead in ("WH-ZJJ", "WH-SWJ", "WH-JYJ", "WH-JXJ", "WH-KJJ"):
        sup.act(make_task(lead=lead, days=30)["id"], "issue")
    clock.advance(days=12)
    sup = Caller(client, as_user("supervisor"))
    with count_queries() as few:
        assert len(figures(sup)["late_units"]) == 1
    clock.advance(days=17)  # the other five fall due tomorrow
    sup = Caller(client, as_user("supervisor"))
    with count_queries() as many:
        assert len(figures(sup)["late_units"]) == 6
    assert many.count == few.count
