"""The days a request may name: within about a year of today. A read for year 1 or 9999 is a mistake or a
probe, never a question a hall asks, and answers 400 instead of being computed."""
import datetime as dt

from django.utils.translation import gettext_lazy as _

from .errors import DomainError

SENSIBLE_DAYS = 366


def sensible_day(day: dt.date | None, *, today: dt.date, field: str = "day") -> dt.date | None:
    """`day` unchanged when it lies within SENSIBLE_DAYS of `today` (None stays None), else a 400."""
    if day is not None and abs((day - today).days) > SENSIBLE_DAYS:
        raise DomainError(_("日期超出范围：只能查询今天前后一年内的日期。"), code="date_out_of_range", field=field)
    return day
