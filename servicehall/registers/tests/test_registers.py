"""R-E3 cash-box register and R-S3 environment registers: who keeps them, an open box flagged after its day,
the month's missing days counted against the hall's open days (closed days owe nothing, today is owed once it
is over), and the recorded-days figure. The clock is pinned: "today" is the hall's (Asia/Shanghai)."""
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from servicehall.core.errors import Conflict, DomainError, Forbidden
from servicehall.core.figures import Period
from servicehall.org.models import OpeningHours, SpecialDay
from servicehall.registers import figures, selectors, services
from servicehall.registers.models import EnvironmentRecord, HygieneOwner

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
# 00:30 in the hall on 10 March 2026: still the 9th in UTC, so a server-zone "today" would be a day off
NOW = dt.datetime(2026, 3, 10, 0, 30, tzinfo=SH)


def _at(day, hour=9):
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=SH)


def test_r_e3_the_cashier_opens_and_closes_a_box_and_the_entry_is_registered(org):
    teller, leader = org.user("teller_a"), org.user("leader_a")
    entry = services.open_cashbox(hall=org.hall_a, box="1号自助缴费终端", amount="1234.50", by=teller, now=_at(9, 16))
    assert (entry.business_day, entry.amount, entry.opened_by) == (dt.date(2026, 3, 9), Decimal("1234.50"), teller)
    with pytest.raises(Conflict, match="未关闭"):
        services.open_cashbox(hall=org.hall_a, box="1号自助缴费终端", by=leader)  # one open entry per box
    services.close_cashbox(entry=entry, by=teller, now=_at(9, 17))
    entry.refresh_from_db()
    assert (entry.closed_by, entry.closed_at) == (teller, _at(9, 17))
    with pytest.raises(Conflict):
        services.close_cashbox(entry=entry, by=teller)
    assert services.open_cashbox(hall=org.hall_a, box="1号自助缴费终端", by=teller).amount is None  # the amount is optional


@pytest.mark.parametrize("amount", ["-1", "abc", "1.234", "NaN", "Infinity", "99999999999"])
def test_a_bad_amount_is_refused_with_a_message(org, amount):
    with pytest.raises(DomainError, match="金额") as refused:
        services.open_cashbox(hall=org.hall_a, box="2号", amount=amount, by=org.user("teller_a"))
    assert refused.value.field == "amount"


def test_r_e3_only_cashiers_keep_the_cash_box_register(org):
    for who in ("guide_a", "security_a", "supervisor_a"):
        with pytest.raises(Forbidden):
            services.open_cashbox(hall=org.hall_a, box="1号", by=org.user(who))


def test_r_e3_a_box_left_open_past_its_day_is_flagged(org):
    teller, leader = org.user("teller_a"), org.user("leader_a")
    yesterday = services.open_cashbox(hall=org.hall_a, box="1号", by=teller, now=_at(9, 16))
    services.open_cashbox(hall=org.hall_a, box="2号", by=teller, now=NOW)  # today's: not flagged yet
    with time_machine.travel(NOW, tick=False):
        flagged = list(selectors.cashbox_left_open(leader, org.hall_a))
        assert flagged == [yesterday]
        assert selectors.flags(leader, org.hall_a)["left_open"] == [yesterday]
    assert list(selectors.cashbox_left_open(org.user("leader_b"), org.hall_a)) == []  # outside one's halls: nothing


def _clean(org, day, who="guide_a", kind=EnvironmentRecord.Kind.CLEANING, items=("floor", "desk")):
    return services.record_environment(hall=org.hall_a, kind=kind, items=list(items), by=org.user(who), now=_at(day, 8))


def test_r_s3_missing_days_count_open_days_that_ended_without_a_cleaning_record(org):
    SpecialDay.objects.create(company=org.company, date=dt.date(2026, 3, 4), name="停业", closed=True)
    OpeningHours.objects.filter(hall=org.hall_a, weekday=6).delete()  # hall A closed on Sundays: 1 and 8 March
    for day in (2, 3, 6, 9):
        _clean(org, day)
    _clean(org, 5, kind=EnvironmentRecord.Kind.DISINFECTION, items=["pens"])  # a disinfection is no cleaning record
    _clean(org, 10)  # today's record: today is recorded, not owed
    with time_machine.travel(NOW, tick=False):
        missing = selectors.missing_days(org.hall_a, dt.date(2026, 3, 17))
        figure = figures.hall_figures([org.hall_a], Period.month(dt.date(2026, 3, 1)))[org.hall_a.pk]
        flags = selectors.flags(org.user("leader_a"), org.hall_a)
    # due: 2, 3, 5, 6, 7, 9 (1 and 8 are Sundays, 4 a holiday, 10 is today)
    assert missing == [dt.date(2026, 3, 5), dt.date(2026, 3, 7)]
    assert flags["missing"] == missing
    assert (figure.due_days, figure.recorded_days, figure.missing_days) == (6, 4, 2)
    assert str(figure.cleaning_recorded.value) == "66.7"


def test_r_s3_before_midnight_in_the_hall_today_is_not_yet_missing(org):
    with time_machine.travel(dt.datetime(2026, 3, 2, 23, 50, tzinfo=SH), tick=False):
        assert selectors.missing_days(org.hall_a, dt.date(2026, 3, 1)) == [dt.date(2026, 3, 1)]
    with time_machine.travel(dt.datetime(2026, 3, 3, 0, 10, tzinfo=SH), tick=False):
        assert selectors.missing_days(org.hall_a, dt.date(2026, 3, 1)) == [dt.date(2026, 3, 1), dt.date(2026, 3, 2)]


def test_r_s3_environment_records_check_what_they_confirm_and_who_keeps_them(org):
    record = _clean(org, 9, items=["floor", "nonsense", "no_odour"])
    assert record.items == ["floor", "no_odour"] and record.recorded_by == org.user("guide_a")
    with pytest.raises(DomainError, match="至少勾选一项"):
        _clean(org, 9, items=["nonsense"])
    with pytest.raises(DomainError, match="登记类别"):
        _clean(org, 9, kind="sweeping")
    with pytest.raises(Forbidden):
        _clean(org, 9, who="supervisor_a")  # the hall's own people keep the records
    rain = _clean(org, 9, kind=EnvironmentRecord.Kind.RAIN, items=["umbrella_bucket", "wet_floor_sign"])
    assert rain.business_day == dt.date(2026, 3, 9)


def test_r_s3_hygiene_owners_per_area_with_one_overall(org):
    leader = org.user("leader_a")
    services.set_owner(hall=org.hall_a, area="大堂", person_id=org.user("guide_a").pk, overall=True, by=leader)
    services.set_owner(hall=org.hall_a, area="自助区", person_id=org.user("teller_a").pk, overall=True, by=leader)
    assert list(HygieneOwner.objects.filter(overall=True).values_list("area", flat=True)) == ["自助区"]
    with pytest.raises(DomainError, match="本营业厅的员工"):
        services.set_owner(hall=org.hall_a, area="柜台", person_id=org.user("teller_b").pk, by=leader)
    with pytest.raises(Forbidden):
        services.set_owner(hall=org.hall_a, area="柜台", person_id=org.user("teller_a").pk, by=org.user("guide_a"))
