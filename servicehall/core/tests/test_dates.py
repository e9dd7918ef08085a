"""The month before a day (core.dates.previous_month): the one place every report, score and ballot looks back from."""
import datetime as dt

import pytest

from servicehall.core.dates import parse_month, previous_month


@pytest.mark.parametrize(("day", "month"), [
    (dt.date(2026, 11, 30), dt.date(2026, 10, 1)),
    (dt.date(2026, 12, 1), dt.date(2026, 11, 1)),
    (dt.date(2026, 1, 15), dt.date(2025, 12, 1)),  # across the year
    (dt.date(2024, 3, 31), dt.date(2024, 2, 1)),  # from a long month into a short one
])
def test_previous_month_is_the_first_of_the_month_before(day, month):
    assert previous_month(day) == month


def test_parse_month_falls_back_to_the_default_it_is_given():
    assert parse_month("2026-09") == dt.date(2026, 9, 1)
    assert parse_month("09/2026", default=previous_month(dt.date(2026, 1, 5))) == dt.date(2025, 12, 1)
