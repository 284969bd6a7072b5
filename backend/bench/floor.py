"""The floor under ``make bench``'s figures: what the fixed stack serves at best on this machine.

An app of two routes, served as Luoshi is (``luoshi.serving``: two workers, a socket each) and
loaded as its hot endpoints are (wrk, 32 connections, a bearer token):

- ``/floor/answer``: FastAPI reads the bearer token's header and answers ``{}`` at once. No
  thread, no database: uvicorn, Starlette and FastAPI alone.
- ``/floor/select``: the same, plus what every signed-in read must do at least, read the caller:
  one trip to a thread of the read lane (``Settings.read_threads``), where a SQLAlchemy session
  on the app's engine runs ``SELECT 1`` outside a transaction, as ``security.in_one_trip`` does.

Every Luoshi endpoint does at least the second's work, so no figure of ``make bench`` can beat
it; a target under it cannot be met by the app's code on this machine, only by another stack
or more cores.

Run by ``bench.run`` (``python -m bench.floor --port N`` with ``LUOSHI_DATABASE_URL`` set).
"""

import argparse
from typing import Annotated

import anyio.to_thread
from anyio.lowlevel import RunVar
from fastapi import Depends, FastAPI, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import text

from luoshi.db import get_sessionmaker, loop_limiter, read_outside_transaction
from luoshi.serving import serve
from luoshi.settings import get_settings

ANSWER = b"{}"
_LANE: RunVar[anyio.CapacityLimiter] = RunVar("floor_read_lane")
_SELECT_ONE = text("SELECT 1")

app = FastAPI()
bearer = HTTPBearer(auto_error=False)
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


@app.get("/floor/answer")
async def answer(_: Bearer) -> Response:
    return Response(ANSWER, media_type="application/json")


def _select_one() -> Response:
    with get_sessionmaker()() as session:
        read_outside_transaction(session)
        session.execute(_SELECT_ONE).all()
        session.commit()
    return Response(ANSWER, media_type="application/json")


@app.get("/floor/select")
async def select_one(_: Bearer) -> Response:
    lane = loop_limiter(_LANE, lambda: get_settings().read_threads)
    return await anyio.to_thread.run_sync(_select_one, limiter=lane)


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # As ``luoshi serve --workers 2`` serves the app, access log included.
    serve(2, app="bench.floor:app", host="127.0.0.1", port=args.port, proxy_headers=True, log_level="info")
