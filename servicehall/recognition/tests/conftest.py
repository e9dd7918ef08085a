"""Fixtures of the recognition tests: the shipped titles (again after a transactional test flushed them) and
the clock at the start of a month, when a team elects last month's service star."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from servicehall.recognition import defaults
from servicehall.recognition.models import Title

# Tuesday 3 March 2026, 10:00 in the halls' zone: the ballot held then elects February.
START_OF_MONTH = dt.datetime(2026, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
FEBRUARY = dt.date(2026, 2, 1)


def titles() -> dict[str, Title]:
    defaults.install(Title)
    return {t.code: t for t in Title.objects.all()}


@pytest.fixture
def clock():
    with time_machine.travel(START_OF_MONTH, tick=False) as traveller:
        yield traveller


@pytest.fixture
def star(db):
    return titles()["service_star"]
