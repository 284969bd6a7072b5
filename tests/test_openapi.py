"""The committed OpenAPI document is the contract; it must match what the app generates."""

import json

from luoshi.openapi import openapi_json
from luoshi.paths import OPENAPI_FILE


def test_committed_openapi_matches_the_app():
    committed = OPENAPI_FILE.read_text(encoding="utf-8")
    assert committed == openapi_json(), (
        "openapi/openapi.json is stale: run `make api-client` (or `.venv/bin/luoshi export-openapi`)"
    )


def test_operation_ids_are_unique_and_readable():
    spec = json.loads(openapi_json())
    ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert all(i.replace("-", "").isalnum() and i == i.lower() for i in ids), ids
    assert {"auth-login", "auth-refresh", "auth-logout", "auth-me", "units-list", "users-list"} <= set(ids)
