"""Every JSON answer a test receives is checked against its route's ``response_model``.

The most requested reads (``security.in_one_trip``) encode what they read as it is, without
FastAPI's check against the route's model, which the OpenAPI document still promises. So the
test app checks each answer instead: it must validate as the model, and the model, encoded
again, must give the same JSON. A field missing, one the model does not have, or a value of
another type fails the test that asked.
"""

import gzip
import json
from typing import Any

from fastapi.routing import APIRoute
from pydantic import TypeAdapter, ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# By model, not by route: every test builds its app, and so its routes, anew.
_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


class AnswerDoesNotMatchModel(AssertionError):
    pass


def check_answer(route: APIRoute, body: bytes) -> None:
    """Raise ``AnswerDoesNotMatchModel`` unless ``body`` is what ``route``'s model would send."""
    adapter = _ADAPTERS.get(route.response_model)
    if adapter is None:
        adapter = _ADAPTERS[route.response_model] = TypeAdapter(route.response_model)
    sent = json.loads(body)
    try:
        modelled = json.loads(adapter.dump_json(adapter.validate_json(body)))
    except ValidationError as exc:
        raise AnswerDoesNotMatchModel(f"{route.path}: the answer is not a {route.response_model}: {exc}") from None
    if modelled != sent:
        raise AnswerDoesNotMatchModel(f"{route.path}: the answer differs from its model at "
                                      f"{first_difference(sent, modelled)}")


def first_difference(sent: Any, modelled: Any, at: str = "$") -> str:
    """Where ``sent`` and ``modelled`` first differ, with both values."""
    if isinstance(sent, dict) and isinstance(modelled, dict):
        for key in sorted(sent.keys() | modelled.keys()):
            if key not in modelled:
                return f"{at}.{key}: sent but not in the model"
            if key not in sent:
                return f"{at}.{key}: in the model but not sent"
            if sent[key] != modelled[key]:
                return first_difference(sent[key], modelled[key], f"{at}.{key}")
    if isinstance(sent, list) and isinstance(modelled, list) and len(sent) == len(modelled):
        for i, (a, b) in enumerate(zip(sent, modelled, strict=True)):
            if a != b:
                return first_difference(a, b, f"{at}[{i}]")
    return f"{at}: sent {sent!r}, the model gives {modelled!r}"


class AnswersMatchTheirModels:
    """ASGI middleware for the test app: ``check_answer`` on every 2xx JSON answer of a route
    that declares a ``response_model``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(status=message["status"], headers=dict(message.get("headers", [])))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        route = scope.get("route")
        headers = start.get("headers", {})
        if (not isinstance(route, APIRoute) or route.response_model is None
                or not 200 <= start.get("status", 0) < 300
                or not headers.get(b"content-type", b"").startswith(b"application/json")):
            return
        body = b"".join(chunks)
        if headers.get(b"content-encoding") == b"gzip":
            body = gzip.decompress(body)
        check_answer(route, body)
