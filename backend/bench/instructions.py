"""Instructions per request, counted by valgrind's callgrind: a figure that does not drift.

Requests per second and latency on a shared machine move by more than most changes do, so
``make bench`` (``--instructions``) also runs each hot request in-process, one at a time,
under callgrind and counts the user-space instructions the app executes for it (framework,
app, driver; not the database server, not the kernel). Startup and warm-up run without
instrumentation; callgrind counts only the measured requests, switched on and off from inside
the process through callgrind's client requests (a six-line C helper compiled here with cc).

``measure()`` is the entry point; ``python -m bench.instructions SPEC`` is the process it runs
under valgrind for each endpoint.
"""

import asyncio
import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from luoshi.demo.org import DEMO_PASSWORD
from luoshi.paths import REPO_ROOT

REQUESTS = 30
WARM_UP = 20
_HELPER = """#include <valgrind/callgrind.h>
void bench_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void bench_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; }
"""


def available() -> str | None:
    """Why instructions cannot be counted here, or None when they can."""
    if not shutil.which("valgrind"):
        return "valgrind is not installed"
    if not Path("/usr/include/valgrind/callgrind.h").exists():
        return "valgrind's headers are missing"
    if not (shutil.which("cc") or shutil.which("gcc")):
        return "no C compiler"
    return None


def _helper(directory: Path) -> Path:
    source, library = directory / "toggle.c", directory / "libtoggle.so"
    source.write_text(_HELPER)
    subprocess.run([shutil.which("cc") or "gcc", "-O2", "-shared", "-fPIC", "-o", str(library), str(source)],
                   check=True)
    return library


def measure(url: str, cases: dict[str, tuple[str, list[str], dict[str, str]]]) -> dict[str, int]:
    """Thousands of instructions per request for each case: ``{name: (username, paths, headers)}``."""
    out: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        library = _helper(Path(tmp))
        for name, (username, paths, headers) in cases.items():
            spec = json.dumps({"username": username, "paths": paths, "headers": headers})
            env = {**os.environ, "LUOSHI_DATABASE_URL": url, "LUOSHI_ENV": "development",
                   "BENCH_TOGGLE": str(library)}
            run = subprocess.run(
                ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null",
                 sys.executable, "-m", "bench.instructions", spec],
                cwd=REPO_ROOT / "backend", env=env, capture_output=True, text=True,
            )
            found = re.search(r"Collected : ([\d,]+)", run.stderr)
            if run.returncode != 0 or not found:
                raise RuntimeError(f"{name}: callgrind run failed\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
            out[name] = int(found.group(1).replace(",", "")) // REQUESTS // 1000
    return out


async def _drive(spec: dict) -> None:  # type: ignore[type-arg]
    """In the process under valgrind: sign in, warm up, then the counted requests."""
    from luoshi.main import create_app

    app = create_app()

    async def call(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, bytes]:
        route, _, query = path.partition("?")
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "http", "path": route, "raw_path": route.encode(), "query_string": query.encode(),
                 "root_path": "", "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
                 "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000)}
        sent, answer = False, {"status": 0, "body": b""}

        async def receive() -> dict:  # type: ignore[type-arg]
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Event().wait()
            return {}

        async def send(message: dict) -> None:  # type: ignore[type-arg]
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")

        await app(scope, receive, send)
        return answer["status"], answer["body"]  # type: ignore[return-value]

    status, body = await call("POST", "/api/v1/auth/login", {"content-type": "application/json"},
                              json.dumps({"username": spec["username"], "password": DEMO_PASSWORD}).encode())
    assert status == 200, body
    headers = {"authorization": "Bearer " + json.loads(body)["access_token"], **spec["headers"]}
    paths = spec["paths"]
    for i in range(WARM_UP):
        status, body = await call("GET", paths[i % len(paths)], headers)
        assert status in (200, 304), (status, body[:300])
    toggle = ctypes.CDLL(os.environ["BENCH_TOGGLE"])
    toggle.bench_start()
    for i in range(REQUESTS):
        await call("GET", paths[i % len(paths)], headers)
    toggle.bench_stop()


if __name__ == "__main__":
    asyncio.run(_drive(json.loads(sys.argv[1])))
