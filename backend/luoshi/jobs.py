"""The scheduled scans of every domain, run by ``luoshi worker`` (and in-process when asked).

Each job is idempotent and safe to run in several processes at once; it returns counts.
"""

import logging
import time
from collections.abc import Callable

from sqlalchemy.orm import Session

from luoshi.db import writing_session

log = logging.getLogger(__name__)

Job = Callable[[Session], dict[str, int]]
JOBS: dict[str, Job] = {}


def run_once() -> dict[str, dict[str, int]]:
    results: dict[str, dict[str, int]] = {}
    for name, job in JOBS.items():
        with writing_session() as session:
            try:
                results[name] = job(session)
                session.commit()
            except BaseException:
                session.rollback()
                raise
    return results


def run_forever(interval: float) -> None:
    while True:
        try:
            run_once()
        except Exception:  # a failed tick is logged; the next one tries again
            log.exception("scan failed")
        time.sleep(interval)


def _register() -> None:
    from luoshi import planner_statistics, stamps
    from luoshi.deadlines.jobs import DEADLINE_JOBS
    from luoshi.notifications.jobs import NOTIFICATION_JOBS

    JOBS.update(DEADLINE_JOBS)
    JOBS.update(NOTIFICATION_JOBS)
    JOBS["db.statistics"] = planner_statistics.refresh
    JOBS["db.loop_stamps"] = stamps.fold_loop


_register()
