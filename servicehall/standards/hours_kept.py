"""满时营业 (R-S5): whether a hall kept its opening hours, day by day, judged from the queue's records
(queueing.figures.counter_days) against the hall's working calendar. Read-only: computed on each read."""
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from servicehall.core.figures import Period
from servicehall.queueing.figures import counter_days

# A counter signed on up to 5 minutes after opening, or the last one signed off up to 5 minutes before
# closing, still counts as on time: the console, the handover and the queue's own clock need a moment.
GRACE = dt.timedelta(minutes=5)
# Tickets may stop a while before closing on a quiet day; an hour without any is worth the leader's look.
TICKET_GAP = dt.timedelta(minutes=60)


@dataclass(frozen=True)
class KeptDay:
    day: dt.date
    opens: dt.datetime | None  # the calendar's opening and closing of the day, local
    closes: dt.datetime | None
    first_opened: dt.datetime | None  # what the records say, local
    all_closed: dt.datetime | None
    last_ticket: dt.datetime | None
    not_opened: bool = False  # an open day on which no counter signed on
    late_minutes: int = 0  # first counter signed on after opening + grace
    early_minutes: int = 0  # every counter signed off before closing − grace
    tickets_stopped_minutes: int = 0  # last ticket more than TICKET_GAP before closing

    @property
    def flagged(self) -> bool:
        return self.not_opened or bool(self.late_minutes or self.early_minutes or self.tickets_stopped_minutes)


def _minutes(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 60)


def hours_kept(hall, period: Period, *, now: dt.datetime | None = None) -> list[KeptDay]:
    """Each open day of `period` up to now (a day still running is judged only on what has passed)."""
    now = now or timezone.now()
    calendar, tz = hall.calendar(), hall.tz
    records = counter_days(hall, period)
    days = []
    for day in period.dates():
        opens, closes = calendar.opening_of(day), calendar.closing_of(day)
        if opens is None or opens > now:
            continue
        got = records[day]
        local = {k: (v.astimezone(tz) if v else None) for k, v in
                 {"first_opened": got.first_opened, "all_closed": got.all_closed, "last_ticket": got.last_ticket}.items()}
        flags = {}
        if got.first_opened is None:
            flags["not_opened"] = now > opens + GRACE
        elif got.first_opened > opens + GRACE:
            flags["late_minutes"] = _minutes(got.first_opened - opens)
        if closes <= now and got.first_opened is not None:
            if got.all_closed is not None and got.all_closed < closes - GRACE:
                flags["early_minutes"] = _minutes(closes - got.all_closed)
            if got.last_ticket is not None and got.last_ticket < closes - TICKET_GAP:
                flags["tickets_stopped_minutes"] = _minutes(closes - got.last_ticket)
        days.append(KeptDay(day, opens.astimezone(tz), closes.astimezone(tz), **local, **flags))
    return days
