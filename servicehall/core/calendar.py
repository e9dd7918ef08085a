"""Working-time arithmetic on a hall's calendar: deadlines count only opening hours.

The calendar itself is plain data (`WorkingCalendar`), built by the org app from a hall's weekly
hours and holidays, so that deadline code anywhere can use it without knowing the models.
"""
import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

Interval = tuple[dt.time, dt.time]
# A closing time in the day's last second (23:59:59, as a time field shows and saves it, or later) means
# midnight: a time of day cannot say 24:00, and a hall open around the clock must not close for a second.
LAST_SECOND = dt.time(23, 59, 59)


@dataclass(frozen=True)
class WorkingCalendar:
    tz: ZoneInfo
    weekly: dict[int, list[Interval]]  # weekday 0=Monday → opening intervals
    special_days: dict[dt.date, list[Interval]] = field(default_factory=dict)  # holiday = [] (closed)

    def intervals_on(self, day: dt.date) -> list[Interval]:
        if day in self.special_days:
            return self.special_days[day]
        return self.weekly.get(day.weekday(), [])

    def is_open_day(self, day: dt.date) -> bool:
        return bool(self.intervals_on(day))

    def _spans(self, day: dt.date):
        for start, end in sorted(self.intervals_on(day)):
            opens = dt.datetime.combine(day, start, tzinfo=self.tz)
            if end >= LAST_SECOND:  # open until midnight: no last-second gap before the next day
                yield opens, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=self.tz)
            else:
                yield opens, dt.datetime.combine(day, end, tzinfo=self.tz)

    def is_open_at(self, moment: dt.datetime) -> bool:
        local = moment.astimezone(self.tz)
        return any(a <= local < b for a, b in self._spans(local.date()))

    def add_working_seconds(self, start: dt.datetime, seconds: int, *, max_days: int = 400) -> dt.datetime:
        """The moment when `seconds` of opening time have passed after `start`."""
        remaining = max(0, int(seconds))
        local = start.astimezone(self.tz)
        day = local.date()
        for _ in range(max_days):
            for a, b in self._spans(day):
                if b <= local:
                    continue
                begin = max(a, local)
                available = (b - begin).total_seconds()
                if remaining <= available:
                    return (begin + dt.timedelta(seconds=remaining)).astimezone(dt.UTC)
                remaining -= available
            day += dt.timedelta(days=1)
        raise ValueError("calendar has no opening hours within the horizon")

    def working_seconds_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Opening-time seconds in [start, end)."""
        if end <= start:
            return 0
        a_local, b_local = start.astimezone(self.tz), end.astimezone(self.tz)
        total = 0.0
        day = a_local.date()
        while day <= b_local.date():
            for a, b in self._spans(day):
                lo, hi = max(a, a_local), min(b, b_local)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += dt.timedelta(days=1)
        return int(total)

    def opening_of(self, day: dt.date) -> dt.datetime | None:
        spans = list(self._spans(day))
        return spans[0][0] if spans else None

    def closing_of(self, day: dt.date) -> dt.datetime | None:
        spans = list(self._spans(day))
        return spans[-1][1] if spans else None
