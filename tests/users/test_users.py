import pytest
from sqlalchemy import func, select

from luoshi.audit.models import AuditEntry
from luoshi.org.models import Unit
from luoshi.users.models import User

USERS = "/api/v1/users"


def unit_id(db, code):
    return db.execute(select(Unit.id).where(Unit.code == code)).scalar_one()


def user_id(db, username):
    return db.execute(select(User.id).where(User.username == username)).scalar_one()


def usernames(client, headers, **params):
    resp = client.get(USERS, headers=headers, params=params)
    assert resp.status_code == 200, resp.text
    return {u["username"] for u in resp.json()["items"]}


def test_admin_and_security_see_everyone(client, as_user, org):
    total = org.execute(select(func.count()).select_from(User)).scalar_one()
    for who in ("admin", "secadmin"):
        assert len(usernames(client, as_user(who), limit=200)) == total


def test_unit_staff_sees_only_own_unit(client, as_user, org):
    assert usernames(client, as_user("fgw_liaison")) == {"fgw_liaison", "fgw_head"}


def test_district_supervisor_sees_the_district(client, as_user, org):
    seen = usernames(client, as_user("jiangan_supervisor"))
    assert seen == {"jiangan_supervisor", "jiangan_liaison", "dazhi_liaison"}


def test_auditor_cannot_list_users(client, as_user, org):
    assert client.get(USERS, headers=as_user("auditor")).status_code == 403


def test_user_outside_scope_is_404(client, as_user, org):
    resp = client.get(f"{USERS}/{user_id(org, 'zjj_liaison')}", headers=as_user("fgw_liaison"))
    assert resp.status_code == 404


def test_filters_and_cursor_pagination(client, as_user, org):
    headers = as_user("admin")
    first = client.get(USERS, headers=headers, params={"limit": 5}).json()
    assert len(first["items"]) == 5 and first["next_cursor"]
    second = client.get(USERS, headers=headers, params={"limit": 5, "cursor": first["next_cursor"]}).json()
    assert not {u["id"] for u in first["items"]} & {u["id"] for u in second["items"]}
    assert usernames(client, headers, role="leader") == {"mayor", "vicemayor"}
    assert usernames(client, headers, q="fgw") == {"fgw_liaison", "fgw_head"}
    assert client.get(USERS, headers=headers, params={"cursor": "@@bad"}).status_code == 422


NEW_USER = {"username": "jxj_liaison", "password": "Strong#Pass2026", "display_name": "经信联络员",
            "roles": ["unit_staff"]}


@pytest.mark.parametrize("who", ["supervisor", "mayor", "fgw_head", "secadmin", "auditor"])
def test_only_admin_creates_users(client, as_user, org, who):
    body = {**NEW_USER, "unit_id": unit_id(org, "WH-JXJ")}
    assert client.post(USERS, json=body, headers=as_user(who)).status_code == 403
    assert org.execute(select(User).where(User.username == "jxj_liaison")).first() is None


def test_admin_creates_a_user_who_can_sign_in(client, as_user, org):
    body = {**NEW_USER, "unit_id": unit_id(org, "WH-JXJ")}
    resp = client.post(USERS, json=body, headers=as_user("admin"))
    assert resp.status_code == 201
    assert resp.json()["roles"] == ["unit_staff"] and resp.json()["unit"]["short_name"] == "市经信局"
    login = client.post("/api/v1/auth/login", json={"username": "jxj_liaison", "password": "Strong#Pass2026"})
    assert login.status_code == 200
    entry = org.execute(select(AuditEntry).where(AuditEntry.action == "user.create")).scalar_one()
    assert "Strong#Pass2026" not in str(entry.detail)


@pytest.mark.parametrize(("password", "reason"), [
    ("Short#1a", "长度"), ("alllowercaseletters", "至少 3 类"), ("Jxj_liaison#2026x", "用户名"),
])
def test_password_policy(client, as_user, org, password, reason):
    body = {**NEW_USER, "unit_id": unit_id(org, "WH-JXJ"), "password": password}
    resp = client.post(USERS, json=body, headers=as_user("admin"))
    assert resp.status_code == 422
    assert resp.json()["code"] == "auth.password_policy"
    assert reason in resp.json()["detail"]
    assert resp.json()["errors"][0]["field"] == "password"
    assert org.execute(select(User).where(User.username == "jxj_liaison")).first() is None


def test_password_policy_message_in_english(client, as_user, org):
    body = {**NEW_USER, "unit_id": unit_id(org, "WH-JXJ"), "password": "short"}
    resp = client.post(USERS, json=body, headers=as_user("admin", lang="en"))
    assert "at least 10 characters" in resp.json()["detail"]
    assert "at least 10 characters" in resp.json()["errors"][0]["message"]


@pytest.mark.parametrize("roles", [["admin", "auditor"], ["admin", "security"], ["security", "auditor"]])
def test_separation_of_duties(client, as_user, org, roles):
    body = {**NEW_USER, "unit_id": unit_id(org, "WH-BGT"), "roles": roles}
    resp = client.post(USERS, json=body, headers=as_user("admin"))
    assert resp.status_code == 422 and resp.json()["code"] == "users.separation_of_duties"
    patch = client.patch(f"{USERS}/{user_id(org, 'admin')}", json={"roles": roles}, headers=as_user("admin"))
    assert patch.status_code == 422
    assert org.execute(select(User).where(User.username == "admin")).scalar_one().roles == ["admin"]


def test_duplicate_username_is_409(client, as_user, org):
    body = {**NEW_USER, "username": "fgw_head", "unit_id": unit_id(org, "WH-FGW")}
    assert client.post(USERS, json=body, headers=as_user("admin")).status_code == 409


def test_admin_changes_roles_and_unit(client, as_user, org):
    target = user_id(org, "swj_liaison")
    resp = client.patch(f"{USERS}/{target}", headers=as_user("admin"),
                        json={"roles": ["unit_head", "unit_staff"], "unit_id": unit_id(org, "WH-JXJ")})
    assert resp.status_code == 200
    assert resp.json()["roles"] == ["unit_head", "unit_staff"]
    assert resp.json()["unit"]["short_name"] == "市经信局"


def test_admin_cannot_disable_self(client, as_user, org):
    resp = client.patch(f"{USERS}/{user_id(org, 'admin')}", json={"is_active": False}, headers=as_user("admin"))
    assert resp.status_code == 422
