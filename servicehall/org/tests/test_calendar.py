"""A hall's working calendar: weekly opening hours with company holidays and hall special days (R-S5)."""
import datetime as dt
from zoneinfo import ZoneInfo

from servicehall.org.models import OpeningHours, SpecialDay

TZ = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=TZ)


def test_weekly_hours_decide_when_the_hall_is_open(org):
    cal = org.hall_a.calendar()
    assert cal.is_open_at(at(2026, 11, 30, 8, 30)) and cal.is_open_at(at(2026, 11, 30, 17, 29))
    assert not cal.is_open_at(at(2026, 11, 30, 17, 30)) and not cal.is_open_at(at(2026, 11, 30, 8, 29))


def test_a_lunch_break_is_two_intervals(org):
    OpeningHours.objects.filter(hall=org.hall_a, weekday=0).delete()
    OpeningHours.objects.create(hall=org.hall_a, weekday=0, opens=dt.time(8, 30), closes=dt.time(12, 0))
    OpeningHours.objects.create(hall=org.hall_a, weekday=0, opens=dt.time(13, 30), closes=dt.time(17, 30))
    cal = org.hall_a.calendar()
    assert not cal.is_open_at(at(2026, 11, 30, 12, 30))  # a Monday
    assert cal.add_working_seconds(at(2026, 11, 30, 11, 30), 3600) == at(2026, 11, 30, 14, 0).astimezone(dt.UTC)


def test_a_company_holiday_closes_every_hall(org):
    SpecialDay.objects.create(company=org.company, date=dt.date(2027, 1, 1), name="元旦", closed=True)
    for hall in (org.hall_a, org.hall_b):
        cal = hall.calendar()
        assert not cal.is_open_day(dt.date(2027, 1, 1))
        # a 1-hour deadline started at 17:00 on New Year's Eve finishes on 2 January
        assert cal.add_working_seconds(at(2026, 12, 31, 17, 0), 3600) == at(2027, 1, 2, 9, 0).astimezone(dt.UTC)


def test_a_hall_special_day_overrides_the_company_holiday(org):
    SpecialDay.objects.create(company=org.company, date=dt.date(2027, 1, 1), name="元旦", closed=True)
    SpecialDay.objects.create(company=org.company, hall=org.hall_a, date=dt.date(2027, 1, 1), name="元旦值班",
                              closed=False, opens=dt.time(9, 0), closes=dt.time(12, 0))
    assert org.hall_a.calendar().intervals_on(dt.date(2027, 1, 1)) == [(dt.time(9, 0), dt.time(12, 0))]
    assert org.hall_b.calendar().intervals_on(dt.date(2027, 1, 1)) == []


def test_a_hall_closing_day_leaves_other_halls_open(org):
    SpecialDay.objects.create(company=org.company, hall=org.hall_b, date=dt.date(2026, 12, 2), name="设备检修", closed=True)
    assert org.hall_a.calendar().is_open_at(at(2026, 12, 2, 10, 0))
    assert not org.hall_b.calendar().is_open_at(at(2026, 12, 2, 10, 0))


def test_a_day_without_opening_hours_is_closed(org):
    OpeningHours.objects.filter(hall=org.hall_a, weekday=6).delete()
    cal = org.hall_a.calendar()
    assert not cal.is_open_day(dt.date(2026, 11, 29))  # a Sunday
    assert cal.working_seconds_between(at(2026, 11, 28, 17, 0), at(2026, 11, 30, 9, 0)) == 30 * 60 + 30 * 60
