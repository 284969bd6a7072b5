"""Deadline states of obligations, in Python and in SQL, from one rule.

The rule is the task core's (``luoshi.tasks.deadline_state``): overdue once the due date has
passed, due_soon when the due date is inside the warning window (N working days from today),
and on_time / late by the day the obligation was fulfilled. ``warning_date`` is the first day
on which a due date is inside that window, so the scan can index "the next day anything
changes" instead of re-reading every row.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, case, func, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from luoshi.deadlines.calendar import local_date, local_today, warning_date, warning_limit
from luoshi.settings import EscalationStep, get_settings
from luoshi.tasks.models import DeadlineState

FAR_FUTURE = date(9999, 12, 31)
# Kinds the warning ladder climbs for; a sign-for or a routine report only turns yellow and red.
LADDER_KINDS = ("complete", "instruction", "answer")


def obligation_state(due: date, today: date, fulfilled_on: date | None = None,
                     horizon: date | None = None) -> DeadlineState:
    if fulfilled_on is not None:
        return DeadlineState.on_time if fulfilled_on <= due else DeadlineState.late
    if due < today:
        return DeadlineState.overdue
    if due <= (horizon or warning_limit(today)):
        return DeadlineState.due_soon
    return DeadlineState.normal


class date_plus(FunctionElement[date]):  # noqa: N801 - reads as a SQL function
    """``date + n days`` in the dialect's own words (n is a trusted integer from settings)."""

    type = Date()
    inherit_cache = True

    def __init__(self, expr: ColumnElement[date], days: int) -> None:
        self.days = int(days)
        super().__init__(expr)


@compiles(date_plus, "postgresql")
def _pg_date_plus(element: date_plus, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    arg = list(element.clauses)[0]
    return f"({compiler.process(arg, **kw)} + {element.days:d})"


@compiles(date_plus)
def _sqlite_date_plus(element: date_plus, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    arg = list(element.clauses)[0]
    return f"date({compiler.process(arg, **kw)}, '{element.days:+d} days')"


class least(FunctionElement[date]):  # noqa: N801
    type = Date()
    inherit_cache = True


@compiles(least, "postgresql")
def _pg_least(element: least, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(least)
def _sqlite_least(element: least, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    return f"MIN({compiler.process(element.clauses, **kw)})"


@dataclass(frozen=True)
class ScanClock:
    """Everything the state rule needs for one day, computed once in Python."""

    today: date
    horizon: date
    ladder: tuple[EscalationStep, ...]

    @classmethod
    def for_day(cls, today: date | None = None) -> "ScanClock":
        day = today or local_today()
        steps = tuple(sorted(get_settings().escalation_ladder, key=lambda s: s.days))
        return cls(day, warning_limit(day), steps)

    def state_sql(self, due: ColumnElement[date]) -> ColumnElement[str]:
        return case(
            (due < self.today, literal(DeadlineState.overdue.value)),
            (due <= self.horizon, literal(DeadlineState.due_soon.value)),
            else_=literal(DeadlineState.normal.value),
        )

    def ladder_sql(self, due: ColumnElement[date], kind: ColumnElement[str]) -> ColumnElement[int]:
        """How many rungs are reached today: rung k once today >= due + days_k."""
        from datetime import timedelta

        whens = [
            (due <= self.today - timedelta(days=step.days), literal(k))
            for k, step in reversed(list(enumerate(self.ladder, start=1)))
        ]
        if not whens:
            return literal(0)
        return case((kind.notin_(LADDER_KINDS), literal(0)), *whens, else_=literal(0))

    def next_check_sql(self, due: ColumnElement[date], warn: ColumnElement[date],
                       kind: ColumnElement[str]) -> ColumnElement[date | None]:
        """The first day after today on which the state or the ladder changes (NULL: never)."""
        candidates: list[ColumnElement[date]] = [warn, date_plus(due, 1)]
        ladder_dates = [date_plus(due, step.days) for step in self.ladder]
        far = literal(FAR_FUTURE, Date())
        parts = [case((c > self.today, c), else_=far) for c in candidates]
        parts += [case((kind.in_(LADDER_KINDS) & (c > self.today), c), else_=far)
                  for c in ladder_dates]
        return func.nullif(least(*parts), far)

    def state(self, due: date, fulfilled_on: date | None = None) -> DeadlineState:
        return obligation_state(due, self.today, fulfilled_on, self.horizon)


__all__ = ["ScanClock", "date_plus", "least", "local_date", "local_today", "obligation_state",
           "warning_date", "warning_limit"]
