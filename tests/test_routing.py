"""Every router turns away paths outside its prefix before trying its routes
(``luoshi.routing``): what each path reaches, and the 404 and 405 answers, stay as they were."""

import pytest

from luoshi.main import ROUTERS
from luoshi.routing import Router


def test_every_router_of_the_api_is_a_prefix_checking_router():
    assert all(isinstance(router, Router) for router in ROUTERS)


@pytest.mark.parametrize("path", [
    "/api/v1/tasks", "/api/v1/todo", "/api/v1/auth/me", "/api/v1/notifications", "/api/v1/delegations",
    "/api/v1/dashboard", "/api/v1/obligations",
])
def test_a_path_in_any_router_reaches_its_route(client, as_user, path):
    resp = client.get(path, headers=as_user("supervisor"))
    assert resp.status_code == 200, (path, resp.text[:200])


def test_a_path_that_only_starts_like_a_prefix_is_not_found(client, as_user):
    resp = client.get("/api/v1/tasksx", headers=as_user("supervisor"))
    assert resp.status_code == 404
    assert resp.json()["code"] == "resource.not_found"


def test_a_known_path_with_the_wrong_method_is_405(client, as_user):
    assert client.put("/api/v1/auth/me", headers=as_user("supervisor")).status_code == 405
    assert client.delete("/api/v1/todo", headers=as_user("supervisor")).status_code == 405


def test_health_answers_after_every_router_turned_it_away(client):
    assert client.get("/healthz").json() == {"status": "ok"}
