"""The typed figures (issue 10 part 3): a Rate carries its numerator, denominator and scale, rounds by
one stated rule, shows "—" without a denominator, orders by its exact ratio and adds up by pooling its
counts; a Period is a span of business days; a hall's today and day bounds are taken in its own zone."""
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from servicehall.core.figures import PER_10K, PERCENT, SHARE, Mean, Period, Rate, export_cells, pooled
from servicehall.org.models import Hall


def test_a_rate_keeps_its_counts_and_rounds_half_up_to_the_places_of_its_scale():
    assert Rate(1, 8, PERCENT).value == Decimal("12.5")
    assert Rate(1, 8, PERCENT).display == "12.5%"
    assert Rate(1, 8, SHARE).value == Decimal("0.1250")
    assert Rate(1, 8, PER_10K).display == "1250.00‱"
    # 1 / 16 = 6.25 %: half up gives 6.3, not banker's 6.2
    assert Rate(1, 16, PERCENT).value == Decimal("6.3")
    # 2 / 3 per 10 000 = 6666.666…: two places
    assert Rate(2, 3, PER_10K).value == Decimal("6666.67")
    assert Rate(25, 200, PERCENT).title == "25 / 200"
    assert Rate(3, 9376, PER_10K, unit="件/万笔").display == "3.20 件/万笔"


def test_a_rate_without_a_denominator_has_no_value_never_zero():
    empty = Rate(0, 0, PERCENT)
    assert empty.value is None
    assert empty.display == "—"
    assert empty.title == "0 / 0"
    assert empty.as_dict() == {"numerator": 0, "denominator": 0, "scale": 100, "value": None}
    assert export_cells(empty) == [None, 0, 0]


def test_as_dict_round_trips_and_carries_the_value_as_a_string():
    rate = Rate(7, 9, PERCENT)
    data = rate.as_dict()
    assert data == {"numerator": 7, "denominator": 9, "scale": 100, "value": "77.8"}
    assert Rate.from_dict(data) == rate
    assert export_cells(rate) == [77.8, 7, 9]


@pytest.mark.parametrize("bad", [
    {"numerator": 1, "denominator": 2, "scale": 1000},
    {"numerator": -1, "denominator": 2, "scale": 100},
    {"numerator": 1.5, "denominator": 2, "scale": 100},
    {"numerator": True, "denominator": 2, "scale": 100},
])
def test_a_rate_refuses_what_is_not_a_count_or_a_known_scale(bad):
    with pytest.raises(ValueError):
        Rate(**bad)


def test_rates_order_by_their_exact_ratio_not_the_rounded_value_and_no_denominator_comes_first():
    # 1/3 and 333/1000 both show 33.3 %, but 1/3 is larger
    assert Rate(333, 1000, PERCENT) < Rate(1, 3, PERCENT)
    assert Rate(0, 0, PERCENT) < Rate(0, 5, PERCENT) < Rate(1, 5, PERCENT)
    assert sorted([Rate(1, 2, PERCENT), Rate(0, 0, PERCENT), Rate(1, 4, PERCENT)]) == [
        Rate(0, 0, PERCENT), Rate(1, 4, PERCENT), Rate(1, 2, PERCENT)]
    assert Rate(1, 2, PERCENT) != Rate(2, 4, PERCENT)  # equal values, different counts: not the same figure


def test_rates_add_up_by_pooling_counts_never_by_averaging_values():
    # halls at 1/2 (50 %) and 1/98 (1.0 %): the region is 2/100 = 2.0 %, not the 25.5 % mean of the values
    region = Rate(1, 2, PERCENT) + Rate(1, 98, PERCENT)
    assert (region.numerator, region.denominator, region.display) == (2, 100, "2.0%")
    assert pooled([], scale=PER_10K) == Rate(0, 0, PER_10K)
    with pytest.raises(ValueError):
        Rate(1, 2, PERCENT) + Rate(1, 2, PER_10K)


def test_a_mean_carries_its_total_and_count():
    assert Mean(125, 2).value == Decimal("63")  # 62.5 rounds half up
    assert Mean(Decimal("171.5"), 2, 2).display == "85.75"
    assert Mean(0, 0).value is None and Mean(0, 0).display == "—"
    assert (Mean(10, 1) + Mean(20, 3)).as_dict() == {"total": "30", "count": 4, "value": "8"}


def test_a_period_is_a_span_of_days_with_month_and_day_constructors():
    assert Period.month(dt.date(2024, 2, 17)) == Period(dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert Period.month(dt.date(2025, 12, 5)).last == dt.date(2025, 12, 31)
    assert Period.day(dt.date(2025, 3, 4)).days == 1
    week = Period.last_days(7, ending=dt.date(2025, 3, 4))
    assert week.first == dt.date(2025, 2, 26) and week.days == 7 and len(week.dates()) == 7
    assert dt.date(2025, 3, 1) in week and dt.date(2025, 3, 5) not in week
    with pytest.raises(ValueError):
        Period(dt.date(2025, 3, 2), dt.date(2025, 3, 1))


def test_a_halls_today_and_day_bounds_are_in_its_own_zone_not_the_servers():
    urumqi = Hall(timezone="Asia/Urumqi")  # UTC+6, two hours behind the company's Asia/Shanghai
    late = dt.datetime(2025, 3, 4, 17, 30, tzinfo=dt.UTC)  # 01:30 on the 5th in Beijing, 23:30 on the 4th in Urumqi
    assert urumqi.today(late) == dt.date(2025, 3, 4)
    assert Hall(timezone="Asia/Shanghai").today(late) == dt.date(2025, 3, 5)
    start, end = urumqi.day_bounds(dt.date(2025, 3, 4))
    assert start == dt.datetime(2025, 3, 4, tzinfo=ZoneInfo("Asia/Urumqi")) and end - start == dt.timedelta(days=1)
    first, last = urumqi.period_bounds(Period.month(dt.date(2025, 2, 1)))
    assert first == dt.datetime(2025, 2, 1, tzinfo=ZoneInfo("Asia/Urumqi"))
    assert last == dt.datetime(2025, 3, 1, tzinfo=ZoneInfo("Asia/Urumqi"))


def test_the_rate_filter_shows_the_counts_on_hover_and_escapes_nothing_it_should_not():
    html = Template('{% load figures %}{{ r|rate:"x" }}|{{ empty|rate }}|{{ snap|rate }}').render(Context({
        "r": Rate(25, 200, PERCENT), "empty": Rate(0, 0, PERCENT), "snap": Rate(1, 3, PER_10K).as_dict(),
    }))
    assert 'title="25 / 200"' in html and 'data-testid="x"' in html and ">12.5%</span>" in html
    assert 'data-numerator="0" data-denominator="0"' in html and ">—</span>" in html
    assert ">3333.33‱</span>" in html  # a figure kept in a JSON snapshot renders the same


def test_a_quarter_is_its_three_calendar_months():
    assert Period.quarter(dt.date(2026, 11, 20)) == Period(dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert Period.quarter(dt.date(2024, 2, 29)) == Period(dt.date(2024, 1, 1), dt.date(2024, 3, 31))
