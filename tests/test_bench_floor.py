"""``make bench``'s floor (``bench.floor``): what the fixed stack serves at best, and the
verdict line that says when a missed target is under it."""

from fastapi.testclient import TestClient
from sqlalchemy import event

from bench import floor
from bench.run import verdicts
from luoshi import db as dbmod


def test_the_floor_answers_at_once_or_after_one_statement(database_url: str, point_app_at) -> None:
    point_app_at(database_url)
    statements: list[str] = []
    event.listen(dbmod.get_engine(), "before_cursor_execute",
                 lambda conn, cursor, statement, *_: statements.append(statement))
    with TestClient(floor.app) as client:
        answered = client.get("/floor/answer")
        assert (answered.status_code, answered.content) == (200, b"{}")
        assert statements == []
        selected = client.get("/floor/select", headers={"Authorization": "Bearer anything"})
        assert (selected.status_code, selected.content) == (200, b"{}")
    # As ``in_one_trip``'s reads: outside a transaction on PostgreSQL; SQLite's BEGIN costs no trip.
    sqlite = dbmod.get_engine().dialect.name == "sqlite"
    assert statements == (["BEGIN", "SELECT 1"] if sqlite else ["SELECT 1"])


def _result(rps: float, p95: float) -> dict[str, float]:
    return {"rps": rps, "p50_ms": p95 / 2, "p95_ms": p95}


def test_a_missed_target_says_whether_the_floor_misses_it_too() -> None:
    results = {"floor_select": _result(2000, 20), "tree_304": _result(1500, 25), "detail": _result(900, 40),
               "list": _result(800, 28), "tree": _result(500, 60)}
    lines = {line.split()[0]: line for line in verdicts("postgresql", results) if not line.startswith("  floor")}
    assert lines["tree"].endswith("OK")
    assert lines["tree_304"].endswith("MISSED (so does the floor: 20)")  # target 10 ms
    assert lines["detail"].endswith("MISSED (so does the floor: 20)")  # target 15 ms
    assert lines["list"].endswith("OK")  # 28 ms against 30
    assert lines["list_rps"].endswith("MISSED")  # the floor's 2,000 a second would meet 1,000
    assert lines["todo:"] == "  todo: not measured"
    floor_line = [line for line in verdicts("postgresql", results) if line.startswith("  floor")]
    assert floor_line == ["  floor: FastAPI + one SELECT 1 in a thread: 2,000 req/s, p50 10.0 ms, p95 20 ms"]
    # SQLite's targets are twice PostgreSQL's: the floor's 20 ms meets the 304's and the detail's.
    sqlite = {line.split()[0]: line for line in verdicts("sqlite", results)}
    assert sqlite["tree_304"].endswith("MISSED") and "floor" not in sqlite["tree_304"]
    assert sqlite["detail"].endswith("MISSED") and "floor" not in sqlite["detail"]
