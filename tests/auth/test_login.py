from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from luoshi.audit.models import AuditEntry
from luoshi.auth.models import AuthSession, RefreshToken
from luoshi.demo.org import DEMO_PASSWORD
from luoshi.users.models import User

LOGIN = "/api/v1/auth/login"


def login(client, username="supervisor", password=DEMO_PASSWORD, **headers):
    return client.post(LOGIN, json={"username": username, "password": password}, headers=headers)


def audit_actions(db, action):
    return db.execute(select(AuditEntry.outcome).where(AuditEntry.action == action)
                      .order_by(AuditEntry.seq)).scalars().all()


def test_login_returns_a_working_token_pair(client, org):
    resp = login(client)
    assert resp.status_code == 200
    body = resp.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == "supervisor"
    assert me.json()["unit"]["short_name"] == "市政府督查室"
    assert "tasks:manage" in me.json()["permissions"]
    # The refresh token is stored only as a hash.
    stored = org.execute(select(RefreshToken.token_hash)).scalars().all()
    assert body["refresh_token"] not in stored and len(stored) == 1
    assert audit_actions(org, "auth.login") == ["success"]


def test_wrong_password_is_401_and_audited(client, org):
    resp = login(client, password="Wrong-pass-1")
    assert resp.status_code == 401
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert resp.json()["code"] == "auth.invalid_credentials"
    assert org.execute(select(func.count()).select_from(AuthSession)).scalar_one() == 0
    assert audit_actions(org, "auth.login") == ["failure"]


def test_unknown_user_gets_the_same_answer(client, org):
    resp = login(client, username="nobody")
    assert resp.status_code == 401
    assert resp.json()["code"] == "auth.invalid_credentials"


def test_disabled_user_cannot_sign_in(client, org):
    org.execute(select(User).where(User.username == "fgw_liaison")).scalar_one().is_active = False
    org.commit()
    resp = login(client, username="fgw_liaison")
    assert resp.status_code == 401
    assert resp.json()["code"] == "auth.account_disabled"


def test_refresh_rotates_and_old_token_dies(client, org):
    first = login(client).json()
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    third = client.post("/api/v1/auth/refresh", json={"refresh_token": second.json()["refresh_token"]})
    assert third.status_code == 200


def test_refresh_reuse_revokes_the_whole_family(client, org):
    first = login(client).json()
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
    reuse = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401
    assert reuse.json()["code"] == "auth.refresh_reused"
    # The legitimate newer token is dead too, and so is the access token of that session.
    after = client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {second['access_token']}"})
    assert me.status_code == 401
    assert audit_actions(org, "auth.refresh_reuse") == ["denied"]


def test_unknown_refresh_token_is_401(client, org):
    resp = client.post("/api/v1/auth/refresh", json={"refresh_token": "made-up"})
    assert resp.status_code == 401
    assert resp.json()["code"] == "auth.token_invalid"


def test_idle_session_cannot_refresh(client, org, clock):
    pair = login(client).json()
    clock.advance(days=2)
    resp = client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert resp.status_code == 401
    assert resp.json()["code"] == "auth.session_ended"


def test_logout_revokes_access_and_refresh(client, org):
    pair = login(client).json()
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
    resp = client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert resp.status_code == 401


def test_sign_out_other_sessions_keeps_this_one(client, org):
    phone = login(client).json()
    desk = login(client).json()
    desk_headers = {"Authorization": f"Bearer {desk['access_token']}"}
    resp = client.post("/api/v1/auth/logout", json={"scope": "others"}, headers=desk_headers)
    assert resp.status_code == 204
    assert client.get("/api/v1/auth/me", headers=desk_headers).status_code == 200
    phone_me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {phone['access_token']}"})
    assert phone_me.status_code == 401


def test_admin_disabling_a_user_ends_their_sessions_at_once(client, org, as_user):
    victim = login(client, username="fgw_liaison").json()
    user_id = org.execute(select(User.id).where(User.username == "fgw_liaison")).scalar_one()
    resp = client.patch(f"/api/v1/users/{user_id}", json={"is_active": False}, headers=as_user("admin"))
    assert resp.status_code == 200
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {victim['access_token']}"})
    assert me.status_code == 401


def test_lockout_after_five_failures_then_unlock_after_period(client, org, clock):
    for _ in range(5):
        assert login(client, password="Wrong-pass-1").status_code == 401
    locked = login(client)  # even the right password is refused while locked
    assert locked.status_code == 423
    assert locked.json()["code"] == "auth.account_locked"
    until = datetime.fromisoformat(locked.json()["locked_until"])
    assert timedelta(minutes=14) < until - clock.now <= timedelta(minutes=15)
    # The message gives the time as people in the office read it (Asia/Shanghai, to the minute).
    local = until.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert locked.json()["detail"] == f"登录失败次数过多，账号已锁定至 {local}"
    assert "auth.lockout" in {a for a in org.execute(select(AuditEntry.action)).scalars()}
    clock.advance(minutes=14)
    assert login(client).status_code == 423
    clock.advance(minutes=2)
    assert login(client).status_code == 200
    user = org.execute(select(User).where(User.username == "supervisor")).scalar_one()
    org.refresh(user)
    assert user.failed_login_count == 0 and user.locked_until is None


def test_success_resets_the_failure_count(client, org):
    for _ in range(4):
        login(client, password="Wrong-pass-1")
    assert login(client).status_code == 200
    for _ in range(4):
        login(client, password="Wrong-pass-1")
    assert login(client).status_code == 200


def test_security_officer_can_unlock_early(client, org, as_user, clock):
    for _ in range(5):
        login(client, username="fgw_liaison", password="Wrong-pass-1")
    user_id = org.execute(select(User.id).where(User.username == "fgw_liaison")).scalar_one()
    assert client.post(f"/api/v1/users/{user_id}/unlock", headers=as_user("admin")).status_code == 403
    assert client.post(f"/api/v1/users/{user_id}/unlock", headers=as_user("secadmin")).status_code == 200
    assert login(client, username="fgw_liaison").status_code == 200


def test_change_password_enforces_policy_and_signs_out_others(client, org):
    other = login(client).json()
    this = login(client).json()
    headers = {"Authorization": f"Bearer {this['access_token']}"}
    weak = client.post("/api/v1/auth/password", headers=headers,
                       json={"current_password": DEMO_PASSWORD, "new_password": "short"})
    assert weak.status_code == 422
    assert weak.json()["errors"][0]["field"] == "new_password"
    wrong = client.post("/api/v1/auth/password", headers=headers,
                        json={"current_password": "nope", "new_password": "Another@Pass2026"})
    assert wrong.status_code == 422
    ok = client.post("/api/v1/auth/password", headers=headers,
                     json={"current_password": DEMO_PASSWORD, "new_password": "Another@Pass2026"})
    assert ok.status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    other_me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {other['access_token']}"})
    assert other_me.status_code == 401
    assert login(client, password="Another@Pass2026").status_code == 200
    assert login(client).status_code == 401
