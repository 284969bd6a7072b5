"""Reports back: cooperating parts to the lead unit, consolidation, unit head approval, review."""

import pytest
from sqlalchemy import func, select

from luoshi.audit.models import AuditEntry
from luoshi.reports.models import Report
from luoshi.settings import get_settings
from luoshi.tasks.models import AssignmentState, Task, TaskEvent, TaskStatus
from tests.reports.factory import assignment, make_task

PART = {"progress_text": "已完成商贸网点摸排 120 处", "percent_done": 60, "problems": "部分业主联系不上",
        "next_steps": "下周完成复核", "highlights_good": "提前完成摸排"}


@pytest.fixture
def task(org):
    return make_task(org)


@pytest.fixture
def approval_required():
    settings = get_settings()
    settings.unit_head_approval_required = True
    yield
    settings.unit_head_approval_required = False


def create(client, headers, task_id, **body):
    return client.post(f"/api/v1/tasks/{task_id}/reports", json=body, headers=headers)


def events(db, task_id):
    return db.execute(select(TaskEvent.action).where(TaskEvent.task_id == task_id)
                      .order_by(TaskEvent.id)).scalars().all()


def test_full_loop_part_consolidate_submit_return_resubmit_accept(client, org, as_user, task):
    swj, zwj, zjj, sup = as_user("swj_liaison"), as_user("zwj_liaison"), as_user("zjj_liaison"), as_user("supervisor")
    # A cooperating unit drafts and sends its part to the lead unit.
    part = create(client, swj, task.id, **PART)
    assert part.status_code == 201, part.text
    assert part.json()["capacity"] == "cooperating" and part.json()["status"] == "draft"
    assert set(part.json()["allowed_actions"]) == {"edit", "submit"}
    sent = client.post(f"/api/v1/reports/{part.json()['id']}/submit", headers=swj)
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    assert assignment(org, task, "WH-SWJ").state == AssignmentState.reported
    # The lead unit sees the part; the other cooperating unit does not.
    assert client.get(f"/api/v1/reports/{part.json()['id']}", headers=zjj).status_code == 200
    assert client.get(f"/api/v1/reports/{part.json()['id']}", headers=zwj).status_code == 404
    # Consolidation is pre-filled from the part and names the unit that has not reported.
    pre = client.get(f"/api/v1/tasks/{task.id}/reports/consolidation", headers=zjj)
    assert pre.status_code == 200, pre.text
    body = pre.json()
    assert body["progress_text"] == "【市商务局】已完成商贸网点摸排 120 处"
    assert body["source_report_ids"] == [part.json()["id"]]
    assert len(body["missing_unit_ids"]) == 1 and body["percent_done"] == 60
    # The lead unit's draft is built from it without retyping, then sent to the office.
    lead = create(client, zjj, task.id, consolidate=True, kind="completion", next_steps="全面完成")
    assert lead.status_code == 201, lead.text
    assert lead.json()["progress_text"].startswith("【市商务局】") and lead.json()["next_steps"] == "全面完成"
    assert lead.json()["source_report_ids"] == [part.json()["id"]]
    rid = lead.json()["id"]
    patched = client.patch(f"/api/v1/reports/{rid}", json={"percent_done": 100}, headers=zjj)
    assert patched.status_code == 200 and patched.json()["percent_done"] == 100
    assert client.post(f"/api/v1/reports/{rid}/submit", headers=zjj).json()["status"] == "submitted"
    assert client.patch(f"/api/v1/reports/{rid}", json={"problems": "x"}, headers=zjj).status_code == 409
    # The office returns it with a reason; the unit edits and resubmits; the office accepts.
    no_reason = client.post(f"/api/v1/reports/{rid}/review", json={"decision": "return"}, headers=sup)
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    returned = client.post(f"/api/v1/reports/{rid}/review", json={"decision": "return", "reason": "数据不全"},
                           headers=sup)
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "数据不全" and returned.json()["return_count"] == 1
    assert client.patch(f"/api/v1/reports/{rid}", json={"problems": "已补充"}, headers=zjj).status_code == 200
    assert client.post(f"/api/v1/reports/{rid}/submit", headers=zjj).json()["status"] == "submitted"
    accepted = client.post(f"/api/v1/reports/{rid}/review", json={"decision": "accept"}, headers=sup)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert accepted.json()["allowed_actions"] == []
    org.expire_all()
    assert org.get(Task, task.id).progress == 100
    assert events(org, task.id) == [
        "report_drafted", "assignment.report", "report_submitted", "report_drafted", "report_submitted",
        "report_returned", "report_submitted", "report_accepted",
    ]
    returned_event = org.execute(select(TaskEvent).where(TaskEvent.action == "report_returned")).scalar_one()
    assert returned_event.reason == "数据不全" and returned_event.payload["unit_id"] == task.lead_unit_id


def test_lead_unit_reviews_parts_and_a_returned_part_is_no_longer_reported(client, org, as_user, task):
    swj, zjj = as_user("swj_liaison"), as_user("zjj_liaison")
    rid = create(client, swj, task.id, **PART).json()["id"]
    client.post(f"/api/v1/reports/{rid}/submit", headers=swj)
    # The office does not review a cooperating part: that is the lead unit's to accept or return.
    assert client.post(f"/api/v1/reports/{rid}/review", json={"decision": "accept"},
                       headers=as_user("supervisor")).status_code == 403
    back = client.post(f"/api/v1/reports/{rid}/review", json={"decision": "return", "reason": "请补充数据"},
                       headers=zjj)
    assert back.status_code == 200 and back.json()["status"] == "returned"
    assert assignment(org, task, "WH-SWJ").state == AssignmentState.signed


def test_unit_head_approval_when_required(client, org, as_user, task, approval_required):
    staff, head = as_user("zjj_liaison"), as_user("zjj_head")
    rid = create(client, staff, task.id, progress_text="推进中", percent_done=30).json()["id"]
    pending = client.post(f"/api/v1/reports/{rid}/submit", headers=staff)
    assert pending.status_code == 200 and pending.json()["status"] == "pending_unit_approval"
    # Not yet visible to the office; the liaison cannot approve it.
    assert client.get(f"/api/v1/reports/{rid}", headers=as_user("supervisor")).status_code == 404
    assert client.post(f"/api/v1/reports/{rid}/approve-unit", headers=staff).status_code == 403
    back = client.post(f"/api/v1/reports/{rid}/approve-unit", json={"decision": "return", "reason": "措辞"},
                       headers=head)
    assert back.json()["status"] == "returned"
    client.post(f"/api/v1/reports/{rid}/submit", headers=staff)
    approved = client.post(f"/api/v1/reports/{rid}/approve-unit", headers=head)
    assert approved.status_code == 200 and approved.json()["status"] == "submitted"
    assert approved.json()["unit_approved_at"] is not None
    assert client.get(f"/api/v1/reports/{rid}", headers=as_user("supervisor")).status_code == 200
    # A report the unit head writes and sends needs no second look.
    own = create(client, as_user("zjj_head"), task.id, progress_text="局长直报").json()["id"]
    sent = client.post(f"/api/v1/reports/{own}/submit", headers=as_user("zjj_head")).json()
    assert sent["status"] == "submitted" and sent["unit_approved_at"] is not None


def test_unit_head_submits_directly_and_approval_off_goes_straight_to_the_office(client, org, as_user, task):
    staff = as_user("zjj_liaison")
    rid = create(client, staff, task.id, progress_text="推进中").json()["id"]
    sent = client.post(f"/api/v1/reports/{rid}/submit", headers=staff)
    assert sent.json()["status"] == "submitted"
    assert client.post(f"/api/v1/reports/{rid}/approve-unit", headers=as_user("zjj_head")).status_code == 409


def test_bad_input_and_illegal_moves_change_nothing(client, org, as_user, task):
    zjj = as_user("zjj_liaison")
    bad = create(client, zjj, task.id, progress_text="x", percent_done=140)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "percent_done"
    assert org.execute(select(func.count()).select_from(Report)).scalar_one() == 0
    rid = create(client, zjj, task.id).json()["id"]
    assert create(client, zjj, task.id).status_code == 409  # one unsent report per unit
    empty = client.post(f"/api/v1/reports/{rid}/submit", headers=zjj)
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "progress_text"
    assert client.post(f"/api/v1/reports/{rid}/review", json={"decision": "accept"},
                       headers=as_user("supervisor")).status_code == 404  # a draft is the unit's own
    assert client.post(f"/api/v1/reports/{rid}/submit", headers=as_user("swj_liaison")).status_code == 404
    assert client.post(f"/api/v1/reports/{rid}/submit", headers=as_user("jyj_liaison")).status_code == 404
    stale = client.patch(f"/api/v1/reports/{rid}", json={"problems": "x"}, headers={**zjj, "If-Match": "7"})
    assert stale.status_code == 412
    org.expire_all()
    assert org.get(Report, rid).status == "draft" and org.get(Report, rid).problems == ""
    assert events(org, task.id) == ["report_drafted"]


def test_reports_only_while_in_progress_and_after_signing(client, org, as_user):
    waiting = make_task(org, status=TaskStatus.assigned, cooperating_state=AssignmentState.assigned)
    assert create(client, as_user("zjj_liaison"), waiting.id).status_code == 409
    disputed = make_task(org, cooperating_state=AssignmentState.disputed)
    assert create(client, as_user("swj_liaison"), disputed.id).status_code == 409
    assert create(client, as_user("supervisor"), disputed.id).status_code == 403


def test_list_shows_each_caller_what_they_may_see(client, org, as_user, task):
    swj, zjj = as_user("swj_liaison"), as_user("zjj_liaison")
    part = create(client, swj, task.id, **PART).json()["id"]
    client.post(f"/api/v1/reports/{part}/submit", headers=swj)
    create(client, as_user("zwj_liaison"), task.id, progress_text="草稿")
    draft = create(client, zjj, task.id, progress_text="牵头单位草稿").json()["id"]

    def ids(headers):
        resp = client.get(f"/api/v1/tasks/{task.id}/reports", headers=headers)
        assert resp.status_code == 200
        return [r["id"] for r in resp.json()["items"]]

    assert ids(zjj) == [draft, part]
    assert ids(swj) == [part]
    assert ids(as_user("supervisor")) == [part]
    assert ids(as_user("vicemayor")) == [part]
    page = client.get(f"/api/v1/tasks/{task.id}/reports?limit=1", headers=zjj).json()
    assert page["next_cursor"] and len(page["items"]) == 1
    rest = client.get(f"/api/v1/tasks/{task.id}/reports?limit=1&cursor={page['next_cursor']}", headers=zjj)
    assert [r["id"] for r in rest.json()["items"]] == [part]


def test_a_decomposed_task_reports_to_the_unit_that_decomposed_it(client, org, as_user):
    parent = make_task(org, lead="WH-JA", cooperating=())
    child = make_task(org, parent=parent, lead="WH-JA-DZ", issuer="WH-JA", cooperating=(), leader=None)
    dazhi, jiangan = as_user("dazhi_liaison"), as_user("jiangan_liaison")
    rid = create(client, dazhi, child.id, progress_text="下访 320 户，收集问题 57 条").json()["id"]
    client.post(f"/api/v1/reports/{rid}/submit", headers=dazhi)
    seen = client.get(f"/api/v1/reports/{rid}", headers=jiangan)
    assert seen.status_code == 200 and set(seen.json()["allowed_actions"]) == {"accept", "return"}
    accepted = client.post(f"/api/v1/reports/{rid}/review", json={"decision": "accept"}, headers=jiangan)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"


def test_an_illegal_move_names_the_status_in_the_callers_language(client, org, as_user, task):
    zjj = as_user("zjj_liaison")
    rid = create(client, zjj, task.id, progress_text="进展").json()["id"]
    client.post(f"/api/v1/reports/{rid}/submit", headers=zjj)
    again = client.post(f"/api/v1/reports/{rid}/submit", headers=zjj)
    assert again.status_code == 409 and again.json()["code"] == "reports.invalid_transition"
    assert again.json()["detail"] == "报告当前状态为「已报送」，不能执行「报送」"
    english = client.post(f"/api/v1/reports/{rid}/submit", headers=as_user("zjj_liaison", lang="en"))
    assert english.json()["detail"] == "A report in status 'submitted' cannot be 'submit'"


def test_only_the_lead_unit_consolidates_and_edits_are_audited(client, org, as_user, task):
    swj = as_user("swj_liaison")
    assert create(client, swj, task.id, consolidate=True).status_code == 403
    assert client.get(f"/api/v1/tasks/{task.id}/reports/consolidation", headers=swj).status_code == 403
    rid = create(client, swj, task.id, progress_text="初稿").json()["id"]
    client.patch(f"/api/v1/reports/{rid}", json={"problems": "资金缺口"}, headers=swj)
    entry = org.execute(select(AuditEntry).where(AuditEntry.action == "report.update")).scalar_one()
    assert entry.detail == {"task_id": task.id, "fields": ["problems"]}
