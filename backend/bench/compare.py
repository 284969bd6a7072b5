"""``python -m bench.compare REF``: this checkout's code and REF's, served in turn from the
benchmark database ``make bench`` built, under the same wrk load.

This machine's speed drifts by more than most changes move a figure (the same SQL ran 1.5 to
1.9 times as long from one session to the next), so two runs an hour apart compare nothing.
Here each round serves REF, then this checkout (or the other way round, every other round),
and loads each hot endpoint for ``--duration`` seconds; the table gives each side's median
over the rounds: requests per second, p95, and the whole machine's CPU per request (app,
database, kernel and wrk, from /proc/stat).

REF's code runs from a git worktree ahead of the editable install on ``sys.path``. The
database is this checkout's schema, so REF must share it (no migration in between).

Usage: python -m bench.compare REF [--db postgresql|sqlite] [--rounds 3] [--duration 8]
       [--endpoints me,tree_304,list,detail,todo,todo_office]
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.dataset import Dataset
from bench.load import free_port, serve, wrk
from bench.run import Case, bench_url, hot_cases
from luoshi.paths import REPO_ROOT

ENDPOINTS = ["me", "tree_304", "list", "detail", "todo", "todo_office"]


def existing_dataset(url: str) -> Dataset:
    """The dataset ``make bench`` left in ``url``: its big tree and 200 tasks to ask for."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            biggest = conn.execute(text(
                "SELECT root_id, count(*) FROM tasks GROUP BY root_id ORDER BY count(*) DESC LIMIT 1")).first()
            ids = list(conn.execute(text("SELECT id FROM tasks")).scalars())
            units = conn.execute(text("SELECT count(*) FROM units")).scalar_one()
            obligations = conn.execute(text("SELECT count(*) FROM obligations")).scalar_one()
    finally:
        engine.dispose()
    if biggest is None:
        raise SystemExit(f"no benchmark data in {url}: run `make bench` first")
    root, big_tree = biggest
    return Dataset(big_root_id=root, sample_task_ids=random.Random(7).sample(ids, 200), big_tree=big_tree,
                   tasks=len(ids), units=units, obligations=obligations)


def _busy_ticks() -> int:
    """Clock ticks the whole machine has spent busy (all but idle and iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(values) - values[3] - values[4]


def measure(url: str, data: Dataset, source: Path | None, endpoints: list[str], duration: int) -> dict[str, dict]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(url, port, source)
    try:
        hot = hot_cases(base, data)
        cases: dict[str, Case] = {**hot.cases, "me": ("/api/v1/auth/me", hot.supervisor, None, None)}
        out = {}
        for name in endpoints:
            path, token, headers, paths = cases[name]
            wrk(base + path, token, 1, headers, paths)  # warm-up: prepared statements, kept plans
            before = _busy_ticks()
            result = wrk(base + path, token, duration, headers, paths)
            busy = (_busy_ticks() - before) / os.sysconf("SC_CLK_TCK")
            if result["errors"] or result["non2xx"] or not result["requests"]:
                # No request answered in the round (each slower than it): nothing to take a median of.
                raise RuntimeError(f"{name}: {result}")
            result["cpu_ms_per_req"] = busy * 1000 / result["requests"] if result["requests"] else None
            out[name] = result
        return out
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("ref", help="a commit, branch or tag to compare this checkout with")
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS))
    args = parser.parse_args()
    endpoints = args.endpoints.split(",")
    if unknown := set(endpoints) - set(ENDPOINTS) - {"tree", "tree_plain"}:
        sys.exit(f"unknown endpoints: {', '.join(sorted(unknown))}")
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install -y wrk; `make bench` does it)")
    url = bench_url(args.db)
    data = existing_dataset(url)
    worktree = Path(tempfile.mkdtemp(prefix="luoshi-compare-"))
    checkout = subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "add", "--detach", "-f", str(worktree),
                               args.ref], capture_output=True, text=True)
    if checkout.returncode != 0:
        shutil.rmtree(worktree, ignore_errors=True)
        sys.exit(f"cannot check out {args.ref}: {checkout.stderr.strip()}")
    runs: dict[str, dict[str, list[dict]]] = {"ref": {e: [] for e in endpoints}, "now": {e: [] for e in endpoints}}
    try:
        for round_ in range(args.rounds):
            sides = [("ref", worktree), ("now", None)]
            for side, source in sides if round_ % 2 == 0 else sides[::-1]:
                for name, result in measure(url, data, source, endpoints, args.duration).items():
                    runs[side][name].append(result)
                    print(f"  round {round_ + 1} {side:3s} {name:9s} {result['rps']:8.1f} req/s  "
                          f"p95 {result['p95_ms']:7.1f} ms  CPU {result['cpu_ms_per_req']:.2f} ms/req", flush=True)
    finally:
        subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "remove", "--force", str(worktree)],
                       capture_output=True)
    print(f"\n{args.db}, {args.ref} → this checkout, medians of {args.rounds} rounds of {args.duration} s:")
    print("| endpoint | req/s | p95 | machine CPU / req |\n|---|---|---|---|")
    for name in endpoints:
        ref, now = ({key: statistics.median(r[key] for r in runs[side][name])
                     for key in ("rps", "p95_ms", "cpu_ms_per_req")} for side in ("ref", "now"))
        print(f"| {name} | {ref['rps']:,.0f} → {now['rps']:,.0f} ({(now['rps'] / ref['rps'] - 1) * 100:+.0f}%) "
              f"| {ref['p95_ms']:.0f} → {now['p95_ms']:.0f} ms "
              f"| {ref['cpu_ms_per_req']:.1f} → {now['cpu_ms_per_req']:.1f} ms |")


if __name__ == "__main__":
    main()
