"""The report cadence for each feedback cycle, over the real 2026 calendar."""

from datetime import date

from luoshi.deadlines.cadence import plan, report_periods


def test_periods_of_each_cycle() -> None:
    issued, end = date(2026, 1, 26), date(2026, 12, 31)
    assert [k for k, _ in report_periods("quarterly", issued, end, [])] == [
        "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert report_periods("yearly", issued, end, []) == [("2026", date(2026, 12, 25))]
    monthly = report_periods("monthly", issued, date(2026, 4, 30), [])
    assert monthly == [("2026-02", date(2026, 2, 25)), ("2026-03", date(2026, 3, 25)),
                       ("2026-04", date(2026, 4, 25))]
    explicit = report_periods("dates", issued, end, ["2026-01-20", "2026-06-30", "2027-03-01"])
    assert explicit == [("2026-06-30", date(2026, 6, 30))]  # before issue and after the deadline dropped


def test_holiday_due_dates_move_to_the_next_working_day_and_cooperating_units_go_first() -> None:
    planned = plan(task_id=1, title="t", cycle="monthly", explicit=[], issued=date(2026, 9, 1),
                   deadline=date(2026, 11, 30), assignments=[(1, 10, "lead", None), (2, 11, "cooperating", None)])
    lead = {(p.kind, p.period_key): p.due_date for p in planned if p.unit_id == 10}
    coop = {(p.kind, p.period_key): p.due_date for p in planned if p.unit_id == 11}
    # 25 Oct 2026 is a Sunday: the lead unit reports on Monday 26th, its partner two working
    # days before (Thursday 22nd).
    assert lead[("report", "2026-10")] == date(2026, 10, 26)
    assert coop[("report", "2026-10")] == date(2026, 10, 22)
    assert lead[("sign", "sign")] == coop[("sign", "sign")] == date(2026, 9, 2)
    assert lead[("complete", "final")] == date(2026, 11, 30)
    assert coop[("complete", "final")] == date(2026, 11, 26)
    assert all(p.internal for p in planned if p.unit_id == 11 and p.kind != "sign")


def test_calendar_days_keep_the_date_and_an_open_ended_task_is_planned_a_year_ahead() -> None:
    from luoshi.deadlines.calendar import DayCount

    planned = plan(task_id=1, title="t", cycle="monthly", explicit=[], issued=date(2026, 9, 1), deadline=None,
                   assignments=[(1, 10, "lead", None)], count=DayCount.calendar)
    reports = [p for p in planned if p.kind == "report"]
    assert reports[1].due_date == date(2026, 10, 25)  # a Sunday, kept in calendar days
    assert len(reports) == 12 and not any(p.kind == "complete" for p in planned)


def test_a_unit_given_the_task_later_signs_from_that_day() -> None:
    planned = plan(task_id=1, title="t", cycle="once", explicit=[], issued=date(2026, 9, 1),
                   deadline=date(2026, 11, 30),
                   assignments=[(1, 10, "lead", None, date(2026, 9, 30)), (2, 11, "cooperating", None, None)])
    sign = {p.unit_id: p.due_date for p in planned if p.kind == "sign"}
    # Reassigned on 30 September: the next working day is 8 October, after National Day.
    assert sign == {10: date(2026, 10, 8), 11: date(2026, 9, 2)}
