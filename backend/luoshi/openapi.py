"""The committed OpenAPI document, rendered deterministically."""

import json

from luoshi.main import create_app


def openapi_json() -> str:
    return json.dumps(create_app().openapi(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
