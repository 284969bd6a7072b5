"""Attachments: allowed types by content, size limit, SHA-256, scoped download."""

import hashlib
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from luoshi.attachments import storage
from luoshi.attachments.models import Attachment
from luoshi.attachments.router import content_disposition
from luoshi.attachments.service import clean_filename
from luoshi.attachments.sniff import FileKind
from luoshi.settings import get_settings
from luoshi.tasks.models import TaskEvent, TaskStatus
from tests.attachments import samples
from tests.reports.factory import make_task

DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


pytestmark = pytest.mark.usefixtures("attachment_dir")


@pytest.fixture
def task(org):
    return make_task(org)


def upload(client, headers, url, name, data):
    return client.post(url, files={"file": (name, data, "application/octet-stream")}, headers=headers)


def count(db):
    return db.execute(select(func.count()).select_from(Attachment)).scalar_one()


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("整改方案.pdf", samples.PDF, "pdf"),
    ("批复.ofd", samples.OFD, "ofd"),
    ("报告.docx", samples.DOCX, "docx"),
    ("台账.xls", samples.XLS, "xls"),
    ("现场照片.JPG", samples.JPG, "jpg"),
])
def test_allowed_files_are_stored_by_sha256(client, org, as_user, task, attachment_dir, name, data, kind):
    resp = upload(client, as_user("zjj_liaison"), f"/api/v1/tasks/{task.id}/attachments", name, data)
    assert resp.status_code == 201, resp.text
    body = resp.json()
    digest = hashlib.sha256(data).hexdigest()
    assert body["kind"] == kind and body["sha256"] == digest and body["size_bytes"] == len(data)
    assert body["filename"] == name
    stored = attachment_dir / digest[:2] / digest[2:4] / digest
    assert stored.read_bytes() == data
    assert org.execute(select(TaskEvent.action).where(TaskEvent.task_id == task.id)).scalars().all() == [
        "attachment_added"]


def test_download_keeps_the_chinese_name_and_is_scoped(client, org, as_user, task):
    aid = upload(client, as_user("zjj_liaison"), f"/api/v1/tasks/{task.id}/attachments",
                 "城市更新方案（终稿）.docx", samples.DOCX).json()["id"]
    for who in ("zjj_liaison", "swj_liaison", "supervisor", "vicemayor"):
        got = client.get(f"/api/v1/attachments/{aid}/download", headers=as_user(who))
        assert got.status_code == 200, who
    assert got.content == samples.DOCX
    assert got.headers["content-type"] == DOCX_MEDIA
    disposition = got.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="')
    assert disposition.endswith("filename*=UTF-8''" + quote("城市更新方案（终稿）.docx", safe=""))
    assert got.headers["x-content-type-options"] == "nosniff"
    assert client.get(f"/api/v1/attachments/{aid}/download", headers=as_user("mayor")).status_code == 200
    for who in ("jyj_liaison", "dazhi_liaison", "jiangan_supervisor", "fgw_head"):
        assert client.get(f"/api/v1/attachments/{aid}/download", headers=as_user(who)).status_code == 404, who
    assert client.get("/api/v1/attachments/999999/download", headers=as_user("zjj_liaison")).status_code == 404


def test_wrong_type_by_content_is_refused_whatever_the_name(client, org, as_user, task):
    url, h = f"/api/v1/tasks/{task.id}/attachments", as_user("zjj_liaison")
    exe = upload(client, h, url, "报告.pdf", samples.EXE)
    assert exe.status_code == 415 and exe.json()["code"] == "attachments.type_not_allowed"
    assert upload(client, h, url, "表格.xlsx", samples.PLAIN_ZIP).status_code == 415
    assert upload(client, h, url, "演示.doc", samples.OTHER_OLE2).status_code == 415
    lying = upload(client, h, url, "方案.docx", samples.PDF)
    assert lying.status_code == 422 and lying.json()["errors"][0]["field"] == "file"
    assert upload(client, h, url, "空.pdf", b"").status_code == 422
    assert count(org) == 0


def test_too_big_is_413_and_nothing_is_written(client, org, as_user, task, attachment_dir):
    get_settings().attachment_max_bytes = 1024
    big = samples.PDF + b"0" * 2000
    resp = upload(client, as_user("zjj_liaison"), f"/api/v1/tasks/{task.id}/attachments", "大.pdf", big)
    assert resp.status_code == 413 and resp.json()["code"] == "attachments.too_large"
    assert count(org) == 0 and not attachment_dir.exists()


def test_report_files_follow_the_report(client, org, as_user, task):
    swj, zjj, zwj = as_user("swj_liaison"), as_user("zjj_liaison"), as_user("zwj_liaison")
    rid = client.post(f"/api/v1/tasks/{task.id}/reports", json={"progress_text": "推进中"}, headers=swj).json()["id"]
    assert upload(client, zjj, f"/api/v1/reports/{rid}/attachments", "a.pdf", samples.PDF).status_code == 404
    added = upload(client, swj, f"/api/v1/reports/{rid}/attachments", "a.pdf", samples.PDF)
    assert added.status_code == 201 and added.json()["report_id"] == rid
    aid = added.json()["id"]
    # A draft's file is the unit's own until the report is sent.
    assert client.get(f"/api/v1/attachments/{aid}/download", headers=zjj).status_code == 404
    assert client.get(f"/api/v1/tasks/{task.id}/attachments", headers=zjj).json() == []
    client.post(f"/api/v1/reports/{rid}/submit", headers=swj)
    assert client.get(f"/api/v1/attachments/{aid}/download", headers=zjj).status_code == 200
    assert [a["id"] for a in client.get(f"/api/v1/tasks/{task.id}/attachments", headers=zjj).json()] == [aid]
    assert client.get(f"/api/v1/reports/{rid}", headers=zjj).json()["attachments"][0]["id"] == aid
    # Other cooperating units never see it; a sent report takes no more files.
    assert client.get(f"/api/v1/attachments/{aid}/download", headers=zwj).status_code == 404
    assert upload(client, swj, f"/api/v1/reports/{rid}/attachments", "b.pdf", samples.PDF).status_code == 409


def test_who_may_attach_to_a_task(client, org, as_user, task):
    url = f"/api/v1/tasks/{task.id}/attachments"
    assert upload(client, as_user("supervisor"), url, "a.pdf", samples.PDF).status_code == 201
    assert upload(client, as_user("vicemayor"), url, "a.pdf", samples.PDF).status_code == 403
    assert upload(client, as_user("jyj_liaison"), url, "a.pdf", samples.PDF).status_code == 404
    closed = make_task(org, status=TaskStatus.completed)
    assert upload(client, as_user("zjj_liaison"), f"/api/v1/tasks/{closed.id}/attachments", "a.pdf",
                  samples.PDF).status_code == 409


def test_same_content_is_stored_once(client, org, as_user, task, attachment_dir):
    url, h = f"/api/v1/tasks/{task.id}/attachments", as_user("zjj_liaison")
    upload(client, h, url, "一.pdf", samples.PDF)
    upload(client, h, url, "二.pdf", samples.PDF)
    assert count(org) == 2
    assert len([p for p in attachment_dir.rglob("*") if p.is_file()]) == 1
    assert storage.path_for(hashlib.sha256(samples.PDF).hexdigest()).is_file()


def test_names_are_made_safe_for_headers_and_disks():
    assert clean_filename("..\\..\\etc/passwd.pdf", FileKind.pdf) == "passwd.pdf"
    assert clean_filename('报告"\r\nX-Evil: 1.pdf', FileKind.pdf) == "报告___X-Evil_ 1.pdf"
    assert clean_filename("  ..  ", FileKind.png) == "attachment.png"
    header = content_disposition("督办单 第1期.pdf")
    assert header == ('attachment; filename="___ _1_.pdf"; '
                      "filename*=UTF-8''%E7%9D%A3%E5%8A%9E%E5%8D%95%20%E7%AC%AC1%E6%9C%9F.pdf")


def test_files_come_off_drafts_and_off_tasks_by_their_unit(client, org, as_user, task):
    swj, zjj = as_user("swj_liaison"), as_user("zjj_liaison")
    rid = client.post(f"/api/v1/tasks/{task.id}/reports", json={"progress_text": "推进中"}, headers=swj).json()["id"]
    on_draft = upload(client, swj, f"/api/v1/reports/{rid}/attachments", "错传.pdf", samples.PDF).json()["id"]
    on_task = upload(client, zjj, f"/api/v1/tasks/{task.id}/attachments", "方案.pdf", samples.PDF).json()["id"]
    assert client.delete(f"/api/v1/attachments/{on_draft}", headers=zjj).status_code == 404
    assert client.delete(f"/api/v1/attachments/{on_task}", headers=swj).status_code == 403
    assert client.delete(f"/api/v1/attachments/{on_task}", headers=as_user("jyj_liaison")).status_code == 404
    assert client.delete(f"/api/v1/attachments/{on_draft}", headers=swj).status_code == 204
    assert client.get(f"/api/v1/reports/{rid}", headers=swj).json()["attachments"] == []
    kept = upload(client, swj, f"/api/v1/reports/{rid}/attachments", "佐证.pdf", samples.PDF).json()["id"]
    client.post(f"/api/v1/reports/{rid}/submit", headers=swj)
    assert client.delete(f"/api/v1/attachments/{kept}", headers=swj).status_code == 409
    assert client.delete(f"/api/v1/attachments/{on_task}", headers=zjj).status_code == 204
    assert count(org) == 1
    removed = org.execute(select(TaskEvent.action).where(TaskEvent.action == "attachment_removed")).scalars().all()
    assert len(removed) == 2
