"""Each hall's working calendar, cached per process: read on every ticket taken (is the hall open?)
and by every deadline. A write to a hall's opening hours, its special days or a company-wide
holiday drops the cached calendar in every process when it commits (`core.process_cache`)."""
from django.db.models import F, Q

from servicehall.core.calendar import WorkingCalendar
from servicehall.core.process_cache import ProcessCache, drop_on_write

from .models import Hall, OpeningHours, SpecialDay


def _load(hall_id: int) -> WorkingCalendar:
    timezone_name, company_id = Hall.objects.filter(pk=hall_id).values_list("timezone", "region__company_id").get()
    weekly: dict[int, list] = {}
    for weekday, opens, closes in OpeningHours.objects.filter(hall_id=hall_id).values_list("weekday", "opens", "closes"):
        weekly.setdefault(weekday, []).append((opens, closes))
    special: dict = {}
    rows = SpecialDay.objects.filter(Q(hall_id=hall_id) | Q(hall__isnull=True, company_id=company_id))
    # company-wide rows first, so a hall's own row for the same date overrides them
    # (explicit NULLS FIRST: PostgreSQL sorts NULL last by default, SQLite first)
    for date, closed, opens, closes in rows.order_by(F("hall_id").asc(nulls_first=True)).values_list("date", "closed", "opens", "closes"):
        special[date] = [] if closed else [(opens, closes)]
    return WorkingCalendar(tz=Hall(timezone=timezone_name).tz, weekly=weekly, special_days=special)


_CALENDARS = ProcessCache("calendars", _load)


def hall_calendar(hall_id: int) -> WorkingCalendar:
    return _CALENDARS.get(hall_id)


drop_on_write(OpeningHours, _CALENDARS, lambda row: row.hall_id, dispatch_uid="org.calendars.hours")
drop_on_write(SpecialDay, _CALENDARS, lambda row: row.hall_id, dispatch_uid="org.calendars.special_days")  # company-wide: all
drop_on_write(Hall, _CALENDARS, lambda hall: hall.pk, dispatch_uid="org.calendars.hall")
