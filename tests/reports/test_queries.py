"""The report list costs the same number of queries for 2 reports as for 20 (no N+1)."""

from luoshi.reports.models import Report
from tests.reports.factory import make_task, unit, user


def add_reports(db, task, n):
    author = user(db, "swj_liaison").id
    for i in range(n):
        db.add(Report(task_id=task.id, unit_id=unit(db, "WH-SWJ").id, capacity="cooperating", kind="progress",
                      status="submitted", progress_text=f"第{i}期", problems="", next_steps="", support_needed="",
                      highlights_good="", highlights_bad="", source_report_ids=[], created_by_id=author,
                      updated_by_id=author))
    db.commit()


def test_report_list_is_query_bounded(client, org, as_user, count_queries):
    small, large = make_task(org), make_task(org, title="另一项任务")
    add_reports(org, small, 2)
    add_reports(org, large, 20)
    headers = as_user("zjj_liaison")
    counts = []
    for task in (small, large):
        with count_queries() as q:
            resp = client.get(f"/api/v1/tasks/{task.id}/reports", headers=headers)
        assert resp.status_code == 200
        counts.append(q.count)
    assert len(client.get(f"/api/v1/tasks/{large.id}/reports", headers=headers).json()["items"]) == 20
    assert counts[0] == counts[1], counts
