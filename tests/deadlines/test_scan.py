"""The scan across the real 2026 calendar: obligations per cycle, yellow then red, the ladder
reaching each recipient once, catch-up after a gap, suspension and extension."""

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from luoshi.deadlines.jobs import daily_rescan, deadline_tick, sync_tasks
from luoshi.deadlines.models import DeadlineEvent, Obligation
from luoshi.notifications.models import Notification
from tests.deadlines.factory import event, issued_task, unit, user


def at_beijing(y: int, m: int, d: int, hour: int = 10) -> datetime:
    return datetime(y, m, d, hour - 8, 0, tzinfo=UTC)


def run(db, clock, when: datetime | None = None) -> dict:  # type: ignore[no-untyped-def]
    if when is not None:
        clock.set(when)
    clock.advance(seconds=10)  # past the settle delay of task events
    out = {"sync": sync_tasks(db), "scan": deadline_tick(db)}
    db.flush()
    db.expire_all()  # the scan writes with set-based UPDATEs behind the session's back
    return out


def obligations(db, task_id: int) -> list[Obligation]:  # type: ignore[no-untyped-def]
    return list(db.execute(select(Obligation).where(Obligation.task_id == task_id)
                           .order_by(Obligation.unit_id, Obligation.due_date)).scalars())


def inbox(db, username: str, kind: str | None = None) -> list[Notification]:  # type: ignore[no-untyped-def]
    q = select(Notification).where(Notification.recipient_id == user(db, username).id)
    if kind:
        q = q.where(Notification.kind == kind)
    return list(db.execute(q.order_by(Notification.id)).scalars())


def test_weekly_cycle_over_national_day_yellow_then_red_and_the_ladder(org, clock) -> None:
    db = org
    clock.set(at_beijing(2026, 9, 14))
    task = issued_task(db, deadline=date(2026, 10, 16), cycle="weekly")
    run(db, clock)
    zjj = unit(db, "WH-ZJJ").id
    lead = [o for o in obligations(db, task.id) if o.unit_id == zjj]
    assert [(o.kind, o.period_key, o.due_date) for o in lead] == [
        ("sign", "sign", date(2026, 9, 15)),
        ("report", "2026-W38", date(2026, 9, 18)),
        # Friday 25 September is the Mid-Autumn Festival: Monday 28th.
        ("report", "2026-W39", date(2026, 9, 28)),
        # Friday 2 October is National Day: the report moves to Thursday 8 October.
        ("report", "2026-W40", date(2026, 10, 8)),
        ("report", "2026-W41", date(2026, 10, 9)),
        ("complete", "final", date(2026, 10, 16)),
    ]
    fgw = [o for o in obligations(db, task.id) if o.unit_id == unit(db, "WH-FGW").id]
    final = next(o for o in fgw if o.kind == "complete")
    assert final.internal and final.due_date == date(2026, 10, 14)  # two working days earlier

    # 7 days before the deadline the liaison is warned; the head 3 days before.
    run(db, clock, at_beijing(2026, 10, 9))
    assert len(inbox(db, "zjj_liaison", "ladder")) == 1
    assert inbox(db, "zjj_head", "ladder") == []
    # Tuesday 13 Oct: three working days left -> yellow card, and the head's rung.
    run(db, clock, at_beijing(2026, 10, 13))
    final = next(o for o in obligations(db, task.id) if o.unit_id == zjj and o.kind == "complete")
    assert final.state == "due_soon"
    assert len(inbox(db, "zjj_head", "ladder")) == 1
    # Running again the same day sends nothing more.
    before = db.execute(select(func.count()).select_from(Notification)).scalar_one()
    assert run(db, clock)["scan"]["claimed"] == 0
    assert db.execute(select(func.count()).select_from(Notification)).scalar_one() == before
    # Saturday 17 Oct: red card, and the leader in charge is told.
    run(db, clock, at_beijing(2026, 10, 17))
    db.refresh(final)
    assert final.state == "overdue"
    assert len(inbox(db, "vicemayor", "ladder")) == 1
    assert inbox(db, "supervisor", "ladder") == []
    # Five days later the supervision office.
    run(db, clock, at_beijing(2026, 10, 22))
    assert len(inbox(db, "supervisor", "ladder")) == 1
    # Each recipient reached exactly once over the whole run.
    for name in ("zjj_liaison", "zjj_head", "vicemayor", "supervisor"):
        assert len(inbox(db, name, "ladder")) == 1, name


def test_catch_up_after_a_gap_sends_each_rung_once(org, clock) -> None:
    db = org
    clock.set(at_beijing(2026, 2, 2))
    task = issued_task(db, deadline=date(2026, 2, 13), cooperating=())
    run(db, clock)
    # The worker is down over the whole Spring Festival; it comes back on 2 March.
    result = run(db, clock, at_beijing(2026, 3, 2))
    assert result["scan"]["claimed"] >= 1
    events = db.execute(select(DeadlineEvent).where(DeadlineEvent.task_id == task.id,
                                                    DeadlineEvent.kind == "ladder")).scalars().all()
    assert sorted(e.value for e in events) == ["leader", "liaison", "office", "unit_head"]
    # The state jumps straight to red: no stale yellow card after the fact.
    states = db.execute(select(DeadlineEvent.value).where(
        DeadlineEvent.task_id == task.id, DeadlineEvent.kind == "state",
        DeadlineEvent.obligation_id == Obligation.id, Obligation.kind == "complete")).scalars().all()
    assert states == ["overdue"]
    assert run(db, clock)["scan"]["claimed"] == 0


def test_suspension_pauses_and_resumption_moves_the_deadline_in_working_days(org, clock) -> None:
    db = org
    clock.set(at_beijing(2026, 2, 9))
    task = issued_task(db, deadline=date(2026, 3, 6), cooperating=())
    run(db, clock)
    # Suspended Thursday 12 Feb, resumed Wednesday 25 Feb: 13, 14(调休), 24, 25 = 4 working days.
    task.status, task.suspended_at = "suspended", at_beijing(2026, 2, 12)
    event(db, task, "suspend", "in_progress", "suspended")
    run(db, clock, at_beijing(2026, 2, 12, 11))
    final = next(o for o in obligations(db, task.id) if o.kind == "complete")
    assert final.paused_at is not None and final.next_check_date is None
    task.status = "in_progress"
    clock.set(at_beijing(2026, 2, 25))
    event(db, task, "resume", "suspended", "in_progress")
    run(db, clock)
    db.refresh(final)
    db.refresh(task)
    assert final.paused_at is None
    assert final.due_date == date(2026, 3, 12)
    assert task.deadline_date == date(2026, 3, 12)


def test_an_extension_moves_the_obligation_and_restarts_the_colours(org, clock) -> None:
    db = org
    clock.set(at_beijing(2026, 9, 1))
    task = issued_task(db, deadline=date(2026, 9, 4), cooperating=())
    run(db, clock)
    final = next(o for o in obligations(db, task.id) if o.kind == "complete")
    assert final.state == "due_soon"
    task.deadline_date = date(2026, 10, 30)  # 延期 approved
    event(db, task, "extension_approved")
    run(db, clock)
    db.refresh(final)
    assert (final.due_date, final.state) == (date(2026, 10, 30), "normal")
    # An extension decided without an event is found by the daily rescan.
    task.deadline_date = date(2026, 11, 6)
    db.flush()
    daily_rescan(db)
    db.refresh(final)
    assert final.due_date == date(2026, 11, 6)


def test_default_report_within_one_month_and_sign_within_one_working_day(org, clock) -> None:
    db = org
    clock.set(at_beijing(2026, 2, 13))  # Friday before Spring Festival
    task = issued_task(db, deadline=None, cycle="once", cooperating=())
    run(db, clock)
    got = {(o.kind, o.period_key): o.due_date for o in obligations(db, task.id)}
    assert got == {("sign", "sign"): date(2026, 2, 14), ("report", "first"): date(2026, 3, 13)}


def test_thresholds_are_settings_and_a_changed_window_is_applied_by_the_daily_rescan(org, clock) -> None:
    from luoshi.settings import get_settings

    db = org
    clock.set(at_beijing(2026, 10, 12))  # Monday
    task = issued_task(db, deadline=date(2026, 10, 19), cooperating=())
    run(db, clock)
    daily_rescan(db)
    final = next(o for o in obligations(db, task.id) if o.kind == "complete")
    assert final.state == "normal"  # five working days left, the window is three
    settings = get_settings()
    before = settings.warning_window_working_days
    settings.warning_window_working_days = 5
    try:
        clock.advance(days=1)
        result = daily_rescan(db)
        db.expire_all()
        assert result["rewarned"] >= 1
        final = next(o for o in obligations(db, task.id) if o.kind == "complete")
        assert final.state == "due_soon" and final.warn_date == date(2026, 10, 12)
        assert daily_rescan(db) == {}  # once a day
    finally:
        settings.warning_window_working_days = before


def test_catching_up_a_task_issued_and_signed_while_the_worker_was_down(org, clock) -> None:
    from luoshi.tasks.models import Assignment

    db = org
    clock.set(at_beijing(2026, 9, 14))
    task = issued_task(db, deadline=date(2026, 10, 16), cooperating=())
    lead = db.execute(select(Assignment).where(Assignment.task_id == task.id)).scalar_one()
    lead.state, lead.signed_at = "signed", at_beijing(2026, 9, 14, 15)
    event(db, task, "sign")
    run(db, clock, at_beijing(2026, 9, 16))
    sign = next(o for o in obligations(db, task.id) if o.kind == "sign")
    assert (sign.state, sign.fulfilled_ref) == ("on_time", f"assignment:{lead.id}")
    assert inbox(db, "zjj_liaison", "overdue") == []


def test_a_tick_with_nothing_due_writes_nothing(org, clock) -> None:
    from sqlalchemy import text

    db = org
    # Rows inserted, updated or deleted so far by this transaction / connection.
    written = text("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables"
                   if db.get_bind().dialect.name == "postgresql" else "SELECT total_changes()")
    clock.set(at_beijing(2026, 9, 14))
    issued_task(db, deadline=date(2026, 10, 16), cycle="weekly")
    db.flush()
    before = db.execute(written).scalar()
    assert run(db, clock)["scan"]["claimed"] > 0
    after_work = db.execute(written).scalar()
    assert after_work > before  # the counter sees the scan's writes
    assert deadline_tick(db)["claimed"] == 0
    assert db.execute(written).scalar() == after_work


def test_the_daily_rescan_plans_a_task_whose_events_the_cursor_passed(org, clock) -> None:
    from luoshi.deadlines.models import ScanCursor
    from luoshi.deadlines.reconcile import CURSOR

    db = org
    clock.set(at_beijing(2026, 9, 14))
    task = issued_task(db, deadline=date(2026, 10, 16), cooperating=())
    # The cursor already stands past the task's events (they committed late).
    db.merge(ScanCursor(name=CURSOR, position=10**9, updated_at=clock.now))
    run(db, clock)
    assert obligations(db, task.id) == []
    result = daily_rescan(db)
    db.expire_all()
    assert result["drifted"] == 1
    assert {o.kind for o in obligations(db, task.id)} == {"sign", "complete"}
