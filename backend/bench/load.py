"""Serving an app for ``make bench`` and loading it: two workers on a free port (Luoshi, or
``bench.floor``), wrk at 32 connections, and the CPU its processes spent. Used by ``bench.run``
and ``bench.compare``."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from luoshi.paths import REPO_ROOT

CONNECTIONS = 32


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def wrk(url: str, token: str, duration: int, headers: dict[str, str] | None = None,
        paths: list[str] | None = None, server_pids: list[int] | None = None) -> dict:
    env = dict(os.environ)
    paths_file = None
    if paths:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as tmp:
            tmp.write("\n".join(paths))
        paths_file = tmp.name
        env["BENCH_PATHS"] = paths_file
    cmd = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "--timeout", "10s",
           "-s", str(Path(__file__).with_name("latency.lua")), "-H", f"Authorization: Bearer {token}"]
    for k, v in (headers or {}).items():
        cmd += ["-H", f"{k}: {v}"]
    # The app's CPU per request is steadier than latency on a shared machine, and says what two
    # cores could serve at best (2,000 ms / CPU ms). PostgreSQL's backends come and go with
    # their connections, so theirs cannot be summed the same way.
    app_pids = server_pids or []
    app_before = _cpu_seconds(app_pids)
    out = subprocess.run(cmd + [url], capture_output=True, text=True, env=env, check=True).stdout
    app_cpu = _cpu_seconds(app_pids) - app_before
    if paths_file:
        os.unlink(paths_file)
    line = next(ln for ln in out.splitlines() if ln.startswith("BENCH_JSON "))
    result = json.loads(line.removeprefix("BENCH_JSON "))
    if result["requests"]:
        result["app_cpu_ms_per_req"] = round(app_cpu * 1000 / result["requests"], 2)
    return result


def processes(server: subprocess.Popen) -> list[int]:
    """``server`` and every descendant of it (its worker processes), for ``wrk``'s CPU count."""
    found, frontier = [server.pid], [server.pid]
    while frontier:
        parent = frontier.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            kids = (task / "children").read_text().split() if (task / "children").exists() else []
            found += [int(k) for k in kids]
            frontier += [int(k) for k in kids]
    return found


def serve(url: str, port: int, source: Path | None = None) -> subprocess.Popen:
    """Two workers on ``port`` serving ``url``, with the app's code from ``source`` (a checkout's
    root; None for this one), answering /healthz when this returns."""
    command = [str(REPO_ROOT / ".venv/bin/luoshi"), "serve", "--port", str(port), "--workers", "2"]
    return _started(command, url, port, source)


def serve_floor(url: str, port: int) -> subprocess.Popen:
    """``bench.floor``'s app on ``port``, two workers, on ``url``'s database."""
    return _started([sys.executable, "-m", "bench.floor", "--port", str(port)], url, port)


def _started(command: list[str], url: str, port: int, source: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "LUOSHI_DATABASE_URL": url, "LUOSHI_ENV": "development"}
    if source is not None:  # ahead of the editable install on sys.path
        env["PYTHONPATH"] = str(source / "backend")
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"the server on port {port} did not start")
