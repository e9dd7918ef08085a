"""The per-process caches of the request path (issue #12): a hall's calendar and a device's token are read
once per process, and a write drops them at once in the writing process and, through NOTIFY after the
commit, within moments in every other server process. Device authentication writes `last_seen_at` at
most once a minute, not on every request."""
import datetime as dt
import os
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicehall.core import process_cache
from servicehall.core.servers import database_url
from servicehall.org.devices import device_by_token
from servicehall.org.models import Device, OpeningHours, SpecialDay

TZ = ZoneInfo("Asia/Shanghai")
MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=TZ)
BASE_DIR = settings.BASE_DIR


def kiosk(hall):
    device = Device(hall=hall, kind=Device.Kind.KIOSK, name="排队机")
    token = device.issue_token()
    device.save()
    return device, token


# --- within one process ----------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_calendar_is_read_once_and_dropped_when_opening_hours_change(org):
    assert org.hall_a.calendar().is_open_at(MONDAY_10)
    with CaptureQueriesContext(connection) as queries:
        assert org.hall_a.calendar().is_open_at(MONDAY_10)
    assert len(queries) == 0, "a second read of the calendar comes from the process cache"
    hours = OpeningHours.objects.get(hall=org.hall_a, weekday=0)
    hours.opens = dt.time(11, 0)
    hours.save()
    assert not org.hall_a.calendar().is_open_at(MONDAY_10)


@pytest.mark.django_db
def test_a_company_holiday_and_its_removal_reach_every_cached_calendar(org):
    for hall in (org.hall_a, org.hall_b):
        assert hall.calendar().is_open_day(dt.date(2027, 1, 1))
    holiday = SpecialDay.objects.create(company=org.company, date=dt.date(2027, 1, 1), name="元旦", closed=True)
    assert not org.hall_a.calendar().is_open_day(dt.date(2027, 1, 1))
    assert not org.hall_b.calendar().is_open_day(dt.date(2027, 1, 1))
    holiday.delete()
    assert org.hall_b.calendar().is_open_day(dt.date(2027, 1, 1))


@pytest.mark.django_db
def test_a_cached_device_stops_authenticating_once_deactivated(org):
    device, token = kiosk(org.hall_a)
    assert device_by_token(token).pk == device.pk
    with CaptureQueriesContext(connection) as queries:
        assert device_by_token(token).pk == device.pk
    assert not [q for q in queries.captured_queries if "org_device" in q["sql"]], "token → device comes from the cache"
    device.is_active = False
    device.save()
    assert device_by_token(token) is None


@pytest.mark.django_db
def test_a_rotated_token_replaces_the_cached_one(org):
    device, old = kiosk(org.hall_a)
    assert device_by_token(old).pk == device.pk
    new = device.issue_token()
    device.save()
    assert device_by_token(old) is None
    assert device_by_token(new).pk == device.pk


@pytest.mark.django_db
def test_device_authentication_writes_last_seen_at_most_once_a_minute(org):
    device, token = kiosk(org.hall_a)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            assert device_by_token(token) is not None
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "org_device"')]
    assert len(updates) == 1, updates
    device.refresh_from_db()
    assert device.last_seen_at is not None


# --- across processes ------------------------------------------------------------------------------

def _other_process(code: str):
    """Run `code` in another Django process on the test database (as another server process would)."""
    env = dict(os.environ, DATABASE_URL=database_url(connection.settings_dict), SERVICEHALL_CACHE_LISTENER="0")
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr


def _within(seconds, predicate):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.fixture
def listening(tx_org, is_postgres):
    if not is_postgres:
        pytest.skip("other processes are told through PostgreSQL NOTIFY")
    process_cache._listener.start()
    assert _within(10, lambda: process_cache._listener.listening), "the listener connects"
    yield tx_org
    process_cache.stop_listener()


def test_another_process_changing_opening_hours_drops_this_process_calendar(listening):
    org = listening
    assert org.hall_a.calendar().is_open_at(MONDAY_10)
    _other_process(
        "import datetime as dt; from servicehall.org.models import OpeningHours; "
        f"h = OpeningHours.objects.get(hall_id={org.hall_a.pk}, weekday=0); h.opens = dt.time(11, 0); h.save()"
    )
    # the staleness bound while listening: the notification's delivery, well under a second
    assert _within(2, lambda: not org.hall_a.calendar().is_open_at(MONDAY_10))


def test_another_process_deactivating_or_rotating_a_device_drops_it_here(listening):
    org = listening
    first, first_token = kiosk(org.hall_a)
    second, second_token = kiosk(org.hall_a)
    assert device_by_token(first_token) is not None and device_by_token(second_token) is not None
    _other_process(f"from servicehall.org.models import Device; d = Device.objects.get(pk={first.pk}); d.is_active = False; d.save()")
    assert _within(2, lambda: device_by_token(first_token) is None)
    _other_process(f"from servicehall.org.models import Device; d = Device.objects.get(pk={second.pk}); d.issue_token(); d.save()")
    assert _within(2, lambda: device_by_token(second_token) is None)


def test_without_a_listener_a_cached_entry_lives_the_short_ttl_only(tx_org, monkeypatch):
    org = tx_org
    monkeypatch.setattr(process_cache, "SHORT_TTL", 0.5)
    assert not process_cache._listener.listening
    assert org.hall_a.calendar().is_open_at(MONDAY_10)
    OpeningHours.objects.filter(hall=org.hall_a, weekday=0).update(opens=dt.time(11, 0))  # no signal: as if another process wrote
    assert org.hall_a.calendar().is_open_at(MONDAY_10), "still cached"
    assert _within(2, lambda: not org.hall_a.calendar().is_open_at(MONDAY_10))
