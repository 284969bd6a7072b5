from sqlalchemy import select, update

from luoshi.audit.models import AuditEntry
from luoshi.audit.service import Actor, record, verify_chain

AUDIT = "/api/v1/audit"


def write_entries(db, n=5):
    for i in range(n):
        record(db, "test.event", Actor(None, "tester"), target_type="thing", target_id=i, detail={"i": i})
    db.commit()


def test_entries_are_chained(db):
    write_entries(db)
    rows = db.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    assert verify_chain(db).ok and verify_chain(db).checked == 5


def test_an_edited_row_is_detected_and_named(db):
    write_entries(db)
    third = db.execute(select(AuditEntry).where(AuditEntry.seq == 3)).scalar_one()
    db.execute(update(AuditEntry).where(AuditEntry.id == third.id).values(detail={"i": 99}))
    db.commit()
    report = verify_chain(db)
    assert not report.ok
    assert report.first_broken_seq == 3 and report.first_broken_id == third.id
    assert report.reason == "content was changed" and report.checked == 2


def test_a_deleted_row_is_detected(db):
    write_entries(db)
    from sqlalchemy import delete

    db.execute(delete(AuditEntry).where(AuditEntry.seq == 2))
    db.commit()
    report = verify_chain(db)
    assert not report.ok and report.first_broken_seq == 2


def test_truncating_the_tail_is_detected(db):
    write_entries(db)
    from sqlalchemy import delete

    db.execute(delete(AuditEntry).where(AuditEntry.seq == 5))
    db.commit()
    report = verify_chain(db)
    assert not report.ok and report.reason == "entries removed from the end"


def test_only_the_auditor_reads_the_log(client, as_user, org):
    write_entries(org, 3)
    for who in ("admin", "secadmin", "supervisor", "mayor", "fgw_head"):
        assert client.get(AUDIT, headers=as_user(who)).status_code == 403
    resp = client.get(AUDIT, headers=as_user("auditor"), params={"action": "test.event"})
    assert resp.status_code == 200
    assert [e["detail"]["i"] for e in resp.json()["items"]] == [2, 1, 0]
    denials = client.get(AUDIT, headers=as_user("auditor"), params={"action": "permission.denied"}).json()
    assert {e["actor_username"] for e in denials["items"]} == {"admin", "secadmin", "supervisor", "mayor", "fgw_head"}
    verify = client.get(f"{AUDIT}/verify", headers=as_user("auditor")).json()
    assert verify["ok"] is True
