import pytest
from sqlalchemy import func, select

from luoshi.audit.models import AuditEntry
from luoshi.org.models import Unit

UNITS = "/api/v1/units"


def unit_id(db, code):
    return db.execute(select(Unit.id).where(Unit.code == code)).scalar_one()


def codes(resp):
    assert resp.status_code == 200, resp.text
    return {u["code"] for u in resp.json()}


def test_admin_sees_every_unit(client, as_user, org):
    total = org.execute(select(func.count()).select_from(Unit)).scalar_one()
    assert len(codes(client.get(UNITS, headers=as_user("admin")))) == total


def test_city_supervisor_and_leader_see_the_jurisdiction(client, as_user, org):
    for who in ("supervisor", "mayor"):
        seen = codes(client.get(UNITS, headers=as_user(who)))
        assert {"WH", "WH-FGW", "WH-JA", "WH-JA-DZ-SQ1", "WH-WC-ZNL"} <= seen


def test_district_supervisor_sees_the_district_and_its_ancestors_only(client, as_user, org):
    seen = codes(client.get(UNITS, headers=as_user("jiangan_supervisor")))
    assert {"WH", "WH-JA", "WH-JA-DZ", "WH-JA-DZ-SQ1"} <= seen
    assert "WH-FGW" not in seen and "WH-WC" not in seen


def test_unit_staff_sees_own_subtree_and_ancestor_chain(client, as_user, org):
    seen = codes(client.get(UNITS, headers=as_user("dazhi_liaison")))
    assert seen == {"WH", "WH-JA", "WH-JA-DZ", "WH-JA-DZ-SQ1", "WH-JA-DZ-SQ2"}


def test_unit_outside_scope_is_404(client, as_user, org):
    other = unit_id(org, "WH-WC")
    resp = client.get(f"{UNITS}/{other}", headers=as_user("dazhi_liaison"))
    assert resp.status_code == 404
    assert resp.json()["code"] == "org.unit_not_found"
    own = unit_id(org, "WH-JA-DZ")
    assert client.get(f"{UNITS}/{own}", headers=as_user("dazhi_liaison")).status_code == 200


def test_auditor_cannot_read_units(client, as_user, org):
    resp = client.get(UNITS, headers=as_user("auditor"))
    assert resp.status_code == 403
    denial = org.execute(select(AuditEntry).where(AuditEntry.action == "permission.denied")).scalar_one()
    assert denial.actor_username == "auditor" and denial.detail == {"permission": "units:read"}


NEW_UNIT = {"name": "武汉市数据局", "short_name": "市数据局", "code": "WH-SJU", "kind": "department"}


@pytest.mark.parametrize("who", ["supervisor", "mayor", "fgw_liaison", "fgw_head", "secadmin", "auditor"])
def test_only_admin_creates_units(client, as_user, org, who):
    before = org.execute(select(func.count()).select_from(Unit)).scalar_one()
    body = {**NEW_UNIT, "parent_id": unit_id(org, "WH")}
    resp = client.post(UNITS, json=body, headers=as_user(who))
    assert resp.status_code == 403
    assert org.execute(select(func.count()).select_from(Unit)).scalar_one() == before


def test_admin_creates_a_unit_under_a_parent(client, as_user, org):
    parent = unit_id(org, "WH")
    resp = client.post(UNITS, json={**NEW_UNIT, "parent_id": parent}, headers=as_user("admin"))
    assert resp.status_code == 201
    created = org.get(Unit, resp.json()["id"])
    assert created.path == f"/{parent}/{created.id}/" and created.depth == 1
    assert org.execute(select(AuditEntry).where(AuditEntry.action == "unit.create")).scalar_one()


def test_duplicate_code_is_409_and_bad_input_is_422(client, as_user, org):
    headers = as_user("admin")
    before = org.execute(select(func.count()).select_from(Unit)).scalar_one()
    dup = client.post(UNITS, json={**NEW_UNIT, "code": "WH-FGW"}, headers=headers)
    assert dup.status_code == 409 and dup.json()["code"] == "org.unit_code_taken"
    bad = client.post(UNITS, json={"name": "x", "code": "有空格 code", "kind": "planet"}, headers=headers)
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"name", "code", "kind", "short_name"} <= fields
    orphan = client.post(UNITS, json={**NEW_UNIT, "parent_id": 999999}, headers=headers)
    assert orphan.status_code == 422 and orphan.json()["errors"][0]["field"] == "parent_id"
    assert org.execute(select(func.count()).select_from(Unit)).scalar_one() == before


def test_moving_a_unit_rewrites_the_subtree_paths(client, as_user, org):
    street = unit_id(org, "WH-JA-DZ")
    wuchang = unit_id(org, "WH-WC")
    resp = client.patch(f"{UNITS}/{street}", json={"parent_id": wuchang}, headers=as_user("admin"))
    assert resp.status_code == 200 and resp.json()["depth"] == 2
    community = org.execute(select(Unit).where(Unit.code == "WH-JA-DZ-SQ1")).scalar_one()
    org.refresh(community)
    assert community.path.startswith(org.get(Unit, wuchang).path + f"{street}/")
    assert community.depth == 3


def test_a_unit_cannot_move_under_its_own_descendant(client, as_user, org):
    district = unit_id(org, "WH-JA")
    street = unit_id(org, "WH-JA-DZ")
    resp = client.patch(f"{UNITS}/{district}", json={"parent_id": street}, headers=as_user("admin"))
    assert resp.status_code == 422 and resp.json()["code"] == "org.unit_cycle"
    assert org.get(Unit, district).parent_id == unit_id(org, "WH")
