"""Rendered trees kept in memory, keyed by their ETag.

The ETag already names the content exactly (root, caller, day, and a fingerprint every write
changes), so a cached body is never stale: a change makes a new key and the old entry ages
out. Each process keeps its own cache; nothing is shared, so app instances stay stateless.
"""

import threading
from collections import OrderedDict


class RenderedCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            body = self._entries.get(key)
            if body is not None:
                self._entries.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = body
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


TREES = RenderedCache(max_bytes=64 * 1024 * 1024)
