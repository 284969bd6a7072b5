"""Opaque cursors for keyset pagination."""

import base64
import json
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from luoshi.errors import Unprocessable

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T] = Field(description="This page's rows")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at the end")


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str | None, size: int) -> list[Any] | None:
    if not cursor:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError) as exc:
        raise _bad_cursor() from exc
    if not isinstance(values, list) or len(values) != size:
        raise _bad_cursor()
    return values


def _bad_cursor() -> Unprocessable:
    return Unprocessable(errors=[{"field": "cursor", "message": {  # type: ignore[dict-item]
        "zh": "分页游标无效", "en": "invalid cursor"}}])
