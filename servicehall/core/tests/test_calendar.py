import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from servicehall.core.calendar import WorkingCalendar

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkingCalendar(
    tz=TZ,
    weekly={d: [(dt.time(8, 30), dt.time(12, 0)), (dt.time(13, 30), dt.time(17, 30))] for d in range(5)},
    special_days={dt.date(2026, 12, 2): []},
)


def at(*args):
    return dt.datetime(*args, tzinfo=TZ)


def test_deadline_skips_lunch_break_night_and_weekend():
    # Friday 16:30 + 2 working hours → 1 h on Friday, 1 h on Monday from 08:30
    assert CAL.add_working_seconds(at(2026, 11, 27, 16, 30), 7200) == at(2026, 11, 30, 9, 30).astimezone(dt.UTC)
    # 11:30 + 1 h crosses the lunch break
    assert CAL.add_working_seconds(at(2026, 11, 30, 11, 30), 3600) == at(2026, 11, 30, 14, 0).astimezone(dt.UTC)


def test_holiday_is_not_a_working_day():
    assert CAL.add_working_seconds(at(2026, 12, 1, 17, 0), 3600) == at(2026, 12, 3, 9, 0).astimezone(dt.UTC)
    assert not CAL.is_open_at(at(2026, 12, 2, 10, 0))


def test_working_seconds_between_is_inverse_of_add():
    start = at(2026, 11, 26, 10, 15)
    for seconds in [0, 60, 3600, 5 * 3600, 27 * 3600]:
        end = CAL.add_working_seconds(start, seconds)
        assert CAL.working_seconds_between(start, end) == seconds


def test_start_outside_hours_counts_from_next_opening():
    assert CAL.add_working_seconds(at(2026, 11, 28, 10, 0), 60) == at(2026, 11, 30, 8, 31).astimezone(dt.UTC)


@pytest.mark.parametrize("closes", [dt.time(23, 59, 59), dt.time.max], ids=["23:59:59", "time.max"])
def test_a_hall_open_around_the_clock_has_no_gap_at_midnight(closes):
    """A closing time in the day's last second means midnight: the last second of the day is open, and
    working time runs on into the next day without a break."""
    always = WorkingCalendar(tz=TZ, weekly={d: [(dt.time(0, 0), closes)] for d in range(7)})
    assert always.is_open_at(at(2026, 3, 31, 23, 59, 59, 999000))
    assert always.is_open_at(at(2026, 4, 1, 0, 0))
    assert always.closing_of(dt.date(2026, 3, 31)) == at(2026, 4, 1, 0, 0)
    assert always.add_working_seconds(at(2026, 3, 31, 23, 30), 3600) == at(2026, 4, 1, 0, 30).astimezone(dt.UTC)
    assert always.working_seconds_between(at(2026, 3, 31, 23, 0), at(2026, 4, 1, 1, 0)) == 7200
