"""Fixtures of the guide desk tests: the clock at a Monday 10:00 in the halls' zone (hall A is open)."""
import datetime as dt

import pytest
import time_machine

from servicehall.core.testing import MONDAY_MORNING


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


def in_hours(hours=2):
    return MONDAY_MORNING + dt.timedelta(hours=hours)
