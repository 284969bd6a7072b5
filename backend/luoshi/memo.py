"""Things built once under a key and reused across requests (bounded, least recently used out).

Used for SQL statements whose shape depends only on who is asking: SQLAlchemy caches the SQL
it compiles, but a statement object is built, and walked for its cache key, on every request,
which on the hot reads cost as much as the query. A statement kept under the caller's key is
built once and its cache key computed once; the values that change per request are bound
parameters. What is kept must not hold a request's session. Also for answers kept under
their ETags (the tree, the to-do: ``luoshi.rendered``), bounded by their size.

A key holds everything the value depends on except the settings, which do not change while
the process runs; a test that changes them starts from empty memos (``clear_all``).
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any, Generic, TypeVar

V = TypeVar("V")
_ALL: "list[Built[Any]]" = []


class Built(Generic[V]):
    def __init__(self, maxsize: int = 512, weigh: Callable[[V], int] | None = None) -> None:
        """Keep at most ``maxsize`` values, or, with ``weigh``, values weighing that much in all
        (a value heavier than that alone is built and not kept)."""
        self._maxsize = maxsize
        self._weigh = weigh
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._weight = 0
        self._lock = Lock()
        self._building: dict[Hashable, Lock] = {}
        _ALL.append(self)

    def _kept(self, key: Hashable) -> tuple[bool, V | None]:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return True, self._items[key][0]
            return False, None

    def _keep(self, key: Hashable, value: V) -> None:
        weight = self._weigh(value) if self._weigh is not None else 1
        if weight > self._maxsize:
            return
        with self._lock:
            if key in self._items:  # kept meanwhile by a build that did not wait for this one
                self._weight -= self._items.pop(key)[1]
            self._items[key] = (value, weight)
            self._weight += weight
            while self._weight > self._maxsize:
                _, (_, dropped) = self._items.popitem(last=False)
                self._weight -= dropped

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        """The value kept under ``key``, or ``build()`` kept. Threads that miss one key at once
        wait for a single build (32 callers asking for a changed to-do at once would otherwise
        each read it); other keys are built meanwhile."""
        found, value = self._kept(key)
        if found:
            return value  # type: ignore[return-value]
        with self._lock:
            building = self._building.setdefault(key, Lock())
        try:
            with building:
                found, value = self._kept(key)
                if found:
                    return value  # type: ignore[return-value]
                built = build()
                self._keep(key, built)
                return built
        finally:
            with self._lock:
                self._building.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._weight = 0


def clear_all() -> None:
    for built in _ALL:
        built.clear()
