"""The application factory: routers, error handlers, middleware and the SPA."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from luoshi.attachments.router import router as attachments_router
from luoshi.audit.router import router as audit_router
from luoshi.auth.router import router as auth_router
from luoshi.dashboard.router import router as dashboard_router
from luoshi.db import SessionDep
from luoshi.deadlines.router import router as deadlines_router
from luoshi.deadlines.scheduler import install_scheduler
from luoshi.delegation.router import router as delegations_router
from luoshi.disputes.router import router as disputes_router
from luoshi.errors import install_error_handlers, problem
from luoshi.extensions.router import router as extensions_router
from luoshi.migrate import is_current
from luoshi.notifications.router import router as notifications_router
from luoshi.org.router import router as units_router
from luoshi.paths import REPO_ROOT
from luoshi.reports.router import router as reports_router
from luoshi.settings import get_settings
from luoshi.supervision.router import router as supervision_router
from luoshi.tasks.router import router as tasks_router
from luoshi.todo.router import router as todo_router
from luoshi.users.router import router as users_router

# Routes are matched in this order, one by one: the most requested come first.
ROUTERS = [tasks_router, todo_router, auth_router, units_router, users_router, audit_router]
ROUTERS += [reports_router, extensions_router, disputes_router, attachments_router]
ROUTERS += [notifications_router, delegations_router, deadlines_router, supervision_router]
ROUTERS += [dashboard_router]

DESCRIPTION = """落实 — closed-loop supervision of government key work (重点工作督查督办).

Errors are `application/problem+json` with a stable `code`; messages follow
`Accept-Language` (zh-CN by default, `en` available). Authenticate with
`POST /api/v1/auth/login` and send `Authorization: Bearer <access_token>`."""


@asynccontextmanager
async def _lifespan(_: FastAPI) -> AsyncIterator[None]:
    # Blocking work runs in a few threads, taken in turn. With anyio's default 40, under load
    # the threads' race for the GIL starves some requests (measured: p95 thirty times p50
    # for a signed-in GET at 32 connections); with 4 the p95 is under twice the p50. The most
    # requested reads have a lane of their own besides (``security.in_one_trip``).
    anyio.to_thread.current_default_thread_limiter().total_tokens = get_settings().worker_threads
    yield


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(title="Luoshi 落实", version="0.1.0", description=DESCRIPTION, lifespan=_lifespan)
    install_error_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=False,
            allow_methods=["*"], allow_headers=["*"], expose_headers=["ETag", "Content-Disposition"],
        )
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/healthz", operation_id="health-live", tags=["health"])
    def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/readyz", operation_id="health-ready", tags=["health"])
    def readyz(request: Request, session: SessionDep) -> JSONResponse:
        """Readiness: the database answers and its schema is at the newest migration."""
        try:
            conn = session.connection()
            conn.execute(text("SELECT 1"))
            current = is_current(conn)
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            return problem(request, 503, "health.database_unreachable")
        if not current:
            return problem(request, 503, "health.migrations_pending")
        return JSONResponse({"status": "ready"})

    install_scheduler(app)
    _mount_spa(app, REPO_ROOT / settings.frontend_dist)
    return app


def _mount_spa(app: FastAPI, dist: Path) -> None:
    """Serve the built SPA at / with a fallback to index.html for client-side routes."""
    index = dist / "index.html"
    if not index.is_file():
        return
    if (dist / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=dist / "assets"), name="assets")

    @lru_cache
    def _static(path: str) -> Path | None:
        candidate = (dist / path).resolve()
        if candidate.is_file() and dist.resolve() in candidate.parents:
            return candidate
        return None

    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str, request: Request):  # type: ignore[no-untyped-def]
        if path.startswith("api/"):
            return problem(request, 404, "resource.not_found")
        return FileResponse(_static(path) or index)
