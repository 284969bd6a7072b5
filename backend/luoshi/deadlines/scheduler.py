"""The scans inside the web process (``run_scheduler``, as under ``make run``).

A daemon thread runs every job each interval; several app instances may all do so, since
each job is safe to run concurrently. Production runs ``luoshi worker`` instead.
"""

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from luoshi.settings import get_settings

log = logging.getLogger(__name__)


def _loop(stop: threading.Event, interval: float) -> None:
    from luoshi.jobs import run_once

    while not stop.is_set():
        try:
            run_once()
        except Exception:  # a failed tick is logged; the next one tries again
            log.exception("in-process scan failed")
        stop.wait(interval)


def install_scheduler(app: FastAPI) -> None:
    settings = get_settings()
    if not settings.run_scheduler:
        return
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[object]:
        stop = threading.Event()
        thread = threading.Thread(target=_loop, args=(stop, settings.scheduler_interval_seconds),
                                  name="luoshi-scheduler", daemon=True)
        thread.start()
        try:
            async with inner(application) as state:
                yield state
        finally:
            stop.set()
            thread.join(timeout=10)

    app.router.lifespan_context = lifespan
