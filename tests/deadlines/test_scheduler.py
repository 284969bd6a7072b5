"""With ``run_scheduler`` the web process runs the scans itself, and stops them on shutdown."""

import threading

from fastapi.testclient import TestClient

from luoshi import jobs
from luoshi.main import create_app
from luoshi.settings import get_settings


def test_the_in_process_scheduler_runs_the_jobs_while_the_app_lives(monkeypatch) -> None:
    ran = threading.Event()
    monkeypatch.setattr(jobs, "run_once", lambda: ran.set() or {})
    settings = get_settings()
    monkeypatch.setattr(settings, "run_scheduler", True)
    monkeypatch.setattr(settings, "scheduler_interval_seconds", 0.05)
    with TestClient(create_app()) as client:
        assert client.get("/healthz").status_code == 200
        assert ran.wait(5)
        assert any(t.name == "luoshi-scheduler" for t in threading.enumerate())
    assert not any(t.name == "luoshi-scheduler" and t.is_alive() for t in threading.enumerate())


def test_the_scans_are_registered_for_the_worker() -> None:
    assert list(jobs.JOBS)[:3] == ["deadlines.sync", "deadlines.daily", "deadlines.scan"]
    assert "notifications.escalate" in jobs.JOBS
