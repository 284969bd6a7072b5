"""Rendered trees kept in memory, keyed by their ETag (``luoshi.rendered``), 64 MiB at most."""

from luoshi.memo import Built
from luoshi.rendered import Rendered

TREES: Built[Rendered] = Built(64 * 1024 * 1024, weigh=lambda rendered: rendered.size)
