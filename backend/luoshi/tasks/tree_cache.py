"""Rendered trees kept in memory, keyed by their ETag (``luoshi.rendered``)."""

from luoshi.rendered import RenderedCache

TREES = RenderedCache(max_bytes=64 * 1024 * 1024)
