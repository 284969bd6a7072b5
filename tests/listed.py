"""The check behind every ``allowed_actions`` test: each action is tried in a savepoint that is
rolled back, so a try changes nothing for the next; what the read model lists must succeed and
what it leaves out must be refused as a rule (403 or 409), not as bad input."""

from collections.abc import Callable, Iterable
from typing import Any

REFUSED = (403, 409)


def try_each(connection: Any, listed: Iterable[str], actions: Iterable[str],
             send: Callable[[str], Any], who: object = None) -> dict[str, int]:
    """Send every action; assert listed → 2xx and the rest → 403/409; return each status code."""
    listed = set(listed)
    codes: dict[str, int] = {}
    for action in actions:
        savepoint = connection.begin_nested()
        try:
            resp = send(action)
        finally:
            savepoint.rollback()
        codes[action] = resp.status_code
        if action in listed:
            assert resp.status_code in (200, 201), (who, action, resp.text)
        else:
            assert resp.status_code in REFUSED, (who, action, resp.status_code, resp.text)
    return codes
