"""Units' short names as each process last read them, under the units' change stamp.

A list that names the units of its rows (the to-do: the unit that reported, asked or
disputed) would otherwise ask for those names on every request: on the city office's to-do,
ninety ids bound into an IN list, a third of the instructions the request took. Names
change rarely, and every change to ``units`` bumps the ``units`` stamp (``luoshi.stamps``),
so the caller reads the stamp in a statement it runs anyway and the names are read again
only when it moved. The names kept are at least as new as the stamp they are kept under.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.db import read_records
from luoshi.memo import Built
from luoshi.org.models import Unit

_ALL = select(Unit.id, Unit.short_name)
_KEPT: Built[dict[int, str]] = Built(maxsize=2)


def short_names(session: Session, units_stamp: int) -> dict[int, str]:
    """Every unit's short name by id, as of ``units_stamp`` or later."""
    return _KEPT.get(units_stamp, lambda: dict(read_records(session, _ALL)))
