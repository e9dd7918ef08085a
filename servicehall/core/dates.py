"""The days a request may name: within about a year of today. A read for year 1 or 9999 is a mistake or a
probe, never a question a hall asks, and answers 400 instead of being computed."""
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

SENSIBLE_DAYS = 366


def sensible_day(day: dt.date | None, *, today: dt.date, field: str = "day") -> dt.date | None:
    """`day` unchanged when it lies within SENSIBLE_DAYS of `today` (None stays None), else a 400."""
    if day is not None and abs((day - today).days) > SENSIBLE_DAYS:
        raise DomainError(_("日期超出范围：只能查询今天前后一年内的日期。"), code="date_out_of_range", field=field)
    return day


def previous_month(day: dt.date) -> dt.date:
    """The first day of the month before the one containing `day` (the month a monthly report, score or ballot
    looks back on)."""
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def parse_month(value: str | None, default: dt.date | None = None) -> dt.date:
    """The first day of the month `YYYY-MM` names; `default` (or this month) when it names none."""
    try:
        year, month = (int(x) for x in (value or "").split("-")[:2])
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        if default is not None:
            return default
        today = timezone.localdate()
        return dt.date(today.year, today.month, 1)
