"""Fixtures shared by the queueing backend tests: a frozen clock inside opening hours and helpers."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from servicehall.catalogue.models import BusinessType, ServiceCategory
from servicehall.org.models import Device
from servicehall.queueing import services

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday 10:00 in the hall's time zone: hall A of make_org is open 08:30–17:30 every day.
OPEN_MOMENT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(name="clock")
def clock_fixture():
    """Time frozen at OPEN_MOMENT; `clock.shift(seconds)` moves it."""
    with time_machine.travel(OPEN_MOMENT, tick=False) as traveller:
        yield traveller


def category(prefix):
    return ServiceCategory.objects.get(prefix=prefix)


def business(code):
    return BusinessType.objects.get(code=code)


def open_counters(org, *counters, teller="teller_a"):
    for c in counters:
        services.open_counter(counter=c, by=org.user(teller))


def take(org, prefix, *, hall=None, shift=1, clock=None, **kw):
    """Take a ticket, then move the clock on by `shift` seconds so issue times differ."""
    ticket = services.take_ticket(hall=hall or org.hall_a, category=category(prefix), **kw)
    if clock is not None and shift:
        clock.shift(shift)
    return ticket


def serve(org, counter, *, teller="teller_a", business_types=("fee-electricity",), **finish):
    """Call, start and finish the next ticket at `counter`; returns the service."""
    by = org.user(teller)
    ticket = services.call_next(counter=counter, by=by)
    assert ticket is not None
    services.start_service(counter=counter, by=by)
    return services.finish_service(counter=counter, by=by, business_types=[business(c) for c in business_types], **finish)


def device(hall, kind, *, counter=None):
    """A device of `hall` and its bearer header for the test client."""
    d = Device(hall=hall, counter=counter, kind=kind, name=f"{hall.code}-{kind}-{counter.number if counter else 0}")
    token = d.issue_token()
    d.save()
    return d, {"HTTP_AUTHORIZATION": f"Bearer {token}"}
