"""The AppError hierarchy and its rendering as ``application/problem+json`` (RFC 9457)."""

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from luoshi.i18n import field_message, message, request_language

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


class AppError(Exception):
    """A failure the caller can act on. ``code`` is stable; the message comes from i18n."""

    status = 400
    code = "request.invalid"

    def __init__(
        self,
        code: str | None = None,
        *,
        status: int | None = None,
        params: dict[str, Any] | None = None,
        errors: list[dict[str, str]] | None = None,
        extra: dict[str, Any] | None = None,
        after_rollback: list[Callable[[Session], None]] | None = None,
    ) -> None:
        self.code = code or self.code
        self.status = status or self.status
        self.params = params or {}
        self.errors = errors or []
        self.extra = extra or {}
        self.after_rollback = after_rollback or []
        super().__init__(self.code)


class BadRequest(AppError):
    status = 400


class Unauthorized(AppError):
    status = 401
    code = "auth.unauthenticated"


class Forbidden(AppError):
    status = 403
    code = "permission.denied"


class NotFound(AppError):
    status = 404
    code = "resource.not_found"


class Conflict(AppError):
    status = 409
    code = "resource.conflict"


class Locked(AppError):
    status = 423
    code = "auth.account_locked"


class PreconditionFailed(AppError):
    status = 412
    code = "resource.version_mismatch"


class Unprocessable(AppError):
    """Input that is well-formed but breaks a rule; ``errors`` names the fields."""

    status = 422
    code = "validation.failed"


def _pick(value: Any, lang: str) -> Any:
    """A value given in both languages ({"zh": ..., "en": ...}) is rendered in the caller's."""
    if isinstance(value, dict) and "zh" in value:
        return value.get(lang, value["zh"])
    return value


def problem(
    request: Request,
    status: int,
    code: str,
    *,
    params: dict[str, Any] | None = None,
    errors: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    lang = request_language(request)
    params = {k: _pick(v, lang) for k, v in (params or {}).items()}
    if errors:
        errors = [{k: _pick(v, lang) for k, v in e.items()} for e in errors]
    body: dict[str, Any] = {
        "type": f"https://luoshi.example/problems/{code}",
        "title": message(f"{code}.title", lang, default=message(code, lang)),
        "status": status,
        "detail": message(code, lang, **params),
        "code": code,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _validation_errors(request: Request, exc: RequestValidationError) -> list[dict[str, str]]:
    lang = request_language(request)
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
        out.append(
            {
                "field": ".".join(loc) or "body",
                "message": field_message(err, lang),
                "type": str(err.get("type", "")),
            }
        )
    return out


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem(
            request, exc.status, exc.code, params=exc.params, errors=exc.errors,
            extra=exc.extra, headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem(request, 422, "validation.failed", errors=_validation_errors(request, exc))

    @app.exception_handler(OperationalError)
    async def _database(request: Request, exc: OperationalError) -> JSONResponse:
        # The database is busy (SQLite's single writer) or unreachable: nothing was written,
        # and the same request may succeed in a moment.
        log.warning("database operational error on %s: %s", request.url.path, exc.orig)
        return problem(request, 503, "database.unavailable", headers={"Retry-After": "1"})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "resource.not_found", 405: "request.method_not_allowed"}.get(
            exc.status_code, "request.invalid"
        )
        return problem(request, exc.status_code, code)
