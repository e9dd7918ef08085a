"""The deadline clock: working-time deadlines, the 75 % warning, pause/resume while waiting on the customer."""
import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from servicehall.core import deadlines
from servicehall.core.calendar import WorkingCalendar

TZ = ZoneInfo("Asia/Shanghai")
# Monday–Friday 08:30–12:00 and 13:30–17:30 (7.5 working hours a day)
CAL = WorkingCalendar(tz=TZ, weekly={d: [(dt.time(8, 30), dt.time(12, 0)), (dt.time(13, 30), dt.time(17, 30))] for d in range(5)})
HOUR = 3600


def at(*args):
    return dt.datetime(*args, tzinfo=TZ)


def clock():
    return SimpleNamespace(due_at=None, warn_at=None, warned_at=None, overdue_at=None, clock_paused_at=None,
                           clock_remaining_seconds=None, clock_total_seconds=None)


def test_r_c2_deadline_counts_only_opening_hours_and_warns_at_three_quarters():
    c = clock()
    deadlines.start_clock(c, start=at(2026, 11, 27, 16, 30), working_seconds=4 * HOUR, calendar=CAL)  # Friday
    # 1 h on Friday, 3 h on Monday (08:30–11:30)
    assert c.due_at == at(2026, 11, 30, 11, 30)
    # 3 h used: 1 h Friday + 2 h Monday → 10:30
    assert c.warn_at == at(2026, 11, 30, 10, 30)
    assert c.clock_total_seconds == 4 * HOUR
    assert deadlines.share_used(c, now=at(2026, 11, 30, 9, 30), calendar=CAL) == 0.5


def test_r_c2_pause_keeps_remaining_time_and_resume_warns_at_three_quarters_of_the_whole():
    c = clock()
    deadlines.start_clock(c, start=at(2026, 11, 30, 8, 30), working_seconds=4 * HOUR, calendar=CAL)
    deadlines.pause_clock(c, now=at(2026, 11, 30, 9, 30), calendar=CAL)  # 1 h used, 3 h left
    assert c.due_at is None and c.warn_at is None and c.clock_paused_at is not None
    assert c.clock_remaining_seconds == 3 * HOUR
    assert deadlines.share_used(c, now=at(2026, 12, 1, 9, 0), calendar=CAL) == 0.25  # the paused days don't count
    deadlines.resume_clock(c, now=at(2026, 12, 2, 8, 30), calendar=CAL)
    assert c.clock_paused_at is None
    assert c.due_at == at(2026, 12, 2, 11, 30)
    # 75 % of 4 h = 3 h used: 1 h before the pause + 2 h after → 10:30, not 0.75 × 3 h after resuming
    assert c.warn_at == at(2026, 12, 2, 10, 30)


def test_pause_after_the_warning_keeps_the_warning_and_resume_does_not_rearm_it():
    c = clock()
    deadlines.start_clock(c, start=at(2026, 11, 30, 8, 30), working_seconds=4 * HOUR, calendar=CAL)
    c.warned_at = at(2026, 11, 30, 11, 30)
    deadlines.pause_clock(c, now=at(2026, 11, 30, 11, 45), calendar=CAL)
    deadlines.resume_clock(c, now=at(2026, 12, 1, 8, 30), calendar=CAL)
    assert c.warned_at == at(2026, 11, 30, 11, 30)
    assert c.due_at == at(2026, 12, 1, 9, 15)  # 15 min before lunch + 30 min after were left


def test_pause_of_an_overdue_clock_resumes_with_no_time_left():
    c = clock()
    deadlines.start_clock(c, start=at(2026, 11, 30, 8, 30), working_seconds=HOUR, calendar=CAL)
    deadlines.pause_clock(c, now=at(2026, 11, 30, 11, 0), calendar=CAL)
    assert c.clock_remaining_seconds == 0
    deadlines.resume_clock(c, now=at(2026, 12, 1, 9, 0), calendar=CAL)
    assert c.due_at == at(2026, 12, 1, 9, 0)
    assert deadlines.share_used(c, now=at(2026, 12, 1, 9, 30), calendar=CAL) == 1.5


def test_pause_and_resume_are_idempotent_and_stop_clears_the_running_clock():
    c = clock()
    deadlines.resume_clock(c, now=at(2026, 11, 30, 9, 0), calendar=CAL)  # nothing paused: nothing happens
    assert c.due_at is None
    deadlines.start_clock(c, start=at(2026, 11, 30, 8, 30), working_seconds=HOUR, calendar=CAL)
    deadlines.pause_clock(c, now=at(2026, 11, 30, 9, 0), calendar=CAL)
    first = c.clock_paused_at
    deadlines.pause_clock(c, now=at(2026, 11, 30, 9, 10), calendar=CAL)
    assert c.clock_paused_at == first and c.clock_remaining_seconds == 1800
    c.overdue_at = at(2026, 11, 30, 9, 0)
    deadlines.stop_clock(c)
    assert c.due_at is None and c.warn_at is None and c.clock_paused_at is None
    assert c.overdue_at is not None  # the overdue history stays
    assert deadlines.share_used(c, now=at(2026, 11, 30, 10, 0), calendar=CAL) is None


def test_a_failing_sweep_does_not_starve_the_others(monkeypatch):
    calls = []
    monkeypatch.setattr(deadlines, "SWEEPS", {})

    @deadlines.register_sweep("test.broken")
    def broken(now):
        raise RuntimeError("boom")

    @deadlines.register_sweep("test.fine")
    def fine(now):
        calls.append(now)
        return 3

    now = at(2026, 11, 30, 9, 0)
    assert deadlines.run_sweeps(now) == {"test.broken": -1, "test.fine": 3}
    assert calls == [now]
