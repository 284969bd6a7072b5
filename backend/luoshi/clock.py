"""The one source of "now", so tests (and catch-up runs) can drive time."""

from collections.abc import Callable
from datetime import UTC, datetime

_source: Callable[[], datetime] | None = None


def utcnow() -> datetime:
    return _source() if _source is not None else datetime.now(UTC)


def set_source(source: Callable[[], datetime] | None) -> None:
    """Replace the clock (tests); ``None`` restores the system clock."""
    global _source
    _source = source
