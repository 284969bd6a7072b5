"""Errors are application/problem+json with a stable code, in zh-CN by default or English."""


def test_not_found_route_is_problem_json_in_chinese(client):
    resp = client.get("/api/v1/nothing-here")
    assert resp.status_code == 404
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    assert body["code"] == "resource.not_found"
    assert body["status"] == 404 and body["detail"] == "资源不存在"
    assert body["type"].endswith("resource.not_found") and body["instance"] == "/api/v1/nothing-here"


def test_english_on_request(client):
    resp = client.get("/api/v1/nothing-here", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert resp.json()["detail"] == "Not found"


def test_validation_errors_name_each_field(client):
    resp = client.post("/api/v1/auth/login", json={"username": ""})
    assert resp.status_code == 422
    body = resp.json()
    assert body["code"] == "validation.failed"
    by_field = {e["field"]: e["message"] for e in body["errors"]}
    assert by_field == {"username": "长度不能少于 1", "password": "必填项"}


def test_validation_errors_in_english(client):
    resp = client.post("/api/v1/auth/login", json={"username": ""}, headers={"Accept-Language": "en"})
    by_field = {e["field"]: e["message"] for e in resp.json()["errors"]}
    assert by_field["password"] == "Field required"
    assert resp.json()["detail"] == "Some fields are invalid"


def test_unauthenticated_is_401_with_www_authenticate(client):
    resp = client.get("/api/v1/auth/me")
    assert resp.status_code == 401
    assert resp.headers["www-authenticate"] == "Bearer"
    assert resp.json()["detail"] == "请先登录"


def test_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}


def test_a_busy_or_unreachable_database_is_a_retryable_503(client, org, as_user, monkeypatch):
    from sqlalchemy.exc import OperationalError

    import luoshi.org.service as units

    def locked(*_args, **_kwargs):
        raise OperationalError("UPDATE units ...", {}, Exception("database is locked"))

    monkeypatch.setattr(units, "list_units", locked)
    resp = client.get("/api/v1/units", headers=as_user("admin"))
    assert resp.status_code == 503
    assert resp.headers["retry-after"] == "1"
    assert resp.json()["code"] == "database.unavailable"
    assert resp.json()["detail"] == "数据库繁忙或暂不可用，请稍后重试"


def test_the_commit_happens_before_the_response_is_sent(client, org, as_user, monkeypatch):
    """A client that gets 201 can rely on the change being committed: a failing commit must
    reach the client as an error instead of failing silently after the answer went out."""
    from sqlalchemy import func, select
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    from luoshi.org.models import Unit

    headers = as_user("admin")
    before = org.execute(select(func.count()).select_from(Unit)).scalar_one()

    def failing_commit(self):
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    monkeypatch.setattr(Session, "commit", failing_commit)
    resp = client.post("/api/v1/units", headers=headers, json={
        "name": "武汉市数据局", "short_name": "市数据局", "code": "WH-SJU", "kind": "department"})
    monkeypatch.undo()
    assert resp.status_code == 503
    assert org.execute(select(func.count()).select_from(Unit)).scalar_one() == before


def test_concurrent_writers_on_sqlite_wait_their_turn_instead_of_failing(tmp_path):
    """Write requests begin IMMEDIATE on SQLite: a read-then-write transaction waits for the
    other writer rather than failing with "database is locked" when it tries to write."""
    import threading

    from sqlalchemy import text
    from sqlalchemy.orm import sessionmaker

    from luoshi.db import SQLITE_IMMEDIATE, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'race.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"))
        conn.execute(text("INSERT INTO counter VALUES (1, 0)"))
    make_session = sessionmaker(bind=engine)
    errors: list[str] = []

    def increment_many() -> None:
        for _ in range(25):
            with make_session() as session:
                session.connection(execution_options={SQLITE_IMMEDIATE: True})
                try:
                    n = session.execute(text("SELECT n FROM counter WHERE id = 1")).scalar_one()
                    session.execute(text("UPDATE counter SET n = :n WHERE id = 1"), {"n": n + 1})
                    session.commit()
                except Exception as exc:  # noqa: BLE001 - every failure is counted
                    errors.append(str(exc))
                    session.rollback()

    threads = [threading.Thread(target=increment_many) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM counter")).scalar_one() == 100
    assert errors == []
    engine.dispose()
