"""When the daily routines happen, computed from a hall's working calendar (R-S1, R-S2, R-S5).

Pure functions of a `WorkingCalendar` and a day, so the schedule is tested without a database.
"""
import datetime as dt
from dataclasses import dataclass

from servicehall.core.calendar import WorkingCalendar

OPENING, PEAK, CLOSING = "opening", "peak", "closing"


@dataclass(frozen=True)
class PatrolClock:
    """*(design)* defaults: the seeds say only "before opening, at the first peak, before closing"."""

    before_opening_minutes: int = 30
    peak_start: dt.time = dt.time(9, 0)
    peak_end: dt.time = dt.time(10, 30)
    before_closing_minutes: int = 30
    meeting_minutes_before_opening: int = 20  # the seed's number (000 篇4): 正式营业前20分钟

    @classmethod
    def of(cls, settings) -> "PatrolClock":
        if settings is None:
            return cls()
        return cls(
            before_opening_minutes=settings.before_opening_minutes,
            peak_start=settings.peak_start,
            peak_end=settings.peak_end,
            before_closing_minutes=settings.before_closing_minutes,
            meeting_minutes_before_opening=settings.meeting_minutes_before_opening,
        )


@dataclass(frozen=True)
class Window:
    kind: str
    start: dt.datetime
    end: dt.datetime

    def contains(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


def patrol_windows(calendar: WorkingCalendar, day: dt.date, clock: PatrolClock = PatrolClock()) -> list[Window]:
    """The three patrol windows of `day` (empty on a closed day), as aware datetimes in the hall's zone."""
    opening, closing = calendar.opening_of(day), calendar.closing_of(day)
    if opening is None or closing is None:
        return []
    before_open = Window(OPENING, opening - dt.timedelta(minutes=clock.before_opening_minutes), opening)
    before_close = Window(CLOSING, max(opening, closing - dt.timedelta(minutes=clock.before_closing_minutes)), closing)
    peak_start = dt.datetime.combine(day, clock.peak_start, tzinfo=calendar.tz)
    peak_end = dt.datetime.combine(day, clock.peak_end, tzinfo=calendar.tz)
    start, end = max(peak_start, opening), min(peak_end, before_close.start)
    if end <= start:
        # The configured peak lies outside this day's hours (a short or late day): take the same
        # length from opening, which is when a late-opening hall has its first rush.
        length = peak_end - peak_start
        start, end = opening, min(opening + length, closing)
    return [before_open, Window(PEAK, start, end), before_close]


def meeting_time(calendar: WorkingCalendar, day: dt.date, clock: PatrolClock = PatrolClock()) -> dt.datetime | None:
    """Morning meeting: `meeting_minutes_before_opening` before the day's opening."""
    opening = calendar.opening_of(day)
    return None if opening is None else opening - dt.timedelta(minutes=clock.meeting_minutes_before_opening)


def previous_open_day(calendar: WorkingCalendar, day: dt.date, *, horizon: int = 30) -> dt.date | None:
    """The last day before `day` on which the hall was open (yesterday's review skips closed days)."""
    for back in range(1, horizon + 1):
        candidate = day - dt.timedelta(days=back)
        if calendar.is_open_day(candidate):
            return candidate
    return None


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the calendar quarter containing `day`."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end = dt.date(day.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1) - dt.timedelta(days=1)
    return start, end


# --- periodic security checks (R-E3) -------------------------------------------------------------

DAILY, WEEKLY, MONTHLY, QUARTERLY = "daily", "weekly", "monthly", "quarterly"


def cadence_period(cadence: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last calendar day of the `cadence` period containing `day` (a week runs Monday–Sunday)."""
    if cadence == DAILY:
        return day, day
    if cadence == WEEKLY:
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if cadence == MONTHLY:
        start = day.replace(day=1)
        following = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return start, following - dt.timedelta(days=1)
    if cadence == QUARTERLY:
        return quarter_of(day)
    raise ValueError(f"unknown cadence {cadence!r}")


@dataclass(frozen=True)
class CheckDue:
    """What one periodic check owes: its period and the moment it is due."""

    period_start: dt.date
    period_end: dt.date
    due_at: dt.datetime


def last_open_day(calendar: WorkingCalendar, first: dt.date, last: dt.date) -> dt.date | None:
    day = last
    while day >= first:
        if calendar.is_open_day(day):
            return day
        day -= dt.timedelta(days=1)
    return None


def security_check_due(calendar: WorkingCalendar, cadence: str, day: dt.date, due_time: dt.time | None = None) -> CheckDue | None:
    """The check owed for the period containing `day`, or None when the hall is closed all that period.

    Daily: due at `due_time` of an open day, or at its closing when none is set (a time after closing
    counts as closing: nobody is there to check). Longer cadences: at the closing of the period's last
    business day on the hall's calendar."""
    start, end = cadence_period(cadence, day)
    if cadence == DAILY:
        closing = calendar.closing_of(day)
        if closing is None:
            return None
        due = closing if due_time is None else min(closing, dt.datetime.combine(day, due_time, tzinfo=calendar.tz))
        return CheckDue(start, end, due)
    last = last_open_day(calendar, start, end)
    if last is None:
        return None
    return CheckDue(start, end, calendar.closing_of(last))
