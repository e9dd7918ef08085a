"""Fixtures of the inspections tests: the seeded checklists and a frozen clock inside opening hours."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from servicehall.core.testing import make_user
from servicehall.inspections.services import load_checklists

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 2 March 2026, 10:00 in the hall's zone; hall A of make_org is open 08:30–17:30 every day.
MONDAY_10 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def checklists(db):
    return load_checklists()


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def head_a(org):
    """A station head of hall A (make_org has none)."""
    user = make_user("head_a", ["station_head"], halls=[org.hall_a])
    org.users["head_a"] = user
    return user


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded photos go to a temporary folder, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def phone(browser):
    """A phone-sized page (390×844, touch) for the pages people use on the hall floor."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
