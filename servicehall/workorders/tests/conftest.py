import pytest

from servicehall.catalogue.models import BusinessType
from servicehall.core import testing
from servicehall.org.models import Hall, OpeningHours


def add_same_city_hall(org, code="hc"):
    """A third hall in hall A's city (甲市), with its own leader and teller, open 08:30–17:30 on weekdays only."""
    import datetime as dt

    hall = Hall.objects.create(region=org.region_a, code=code, name=f"{code}营业厅", grade="B")
    for wd in range(5):
        OpeningHours.objects.create(hall=hall, weekday=wd, opens=dt.time(8, 30), closes=dt.time(17, 30))
    org.users[f"leader_{code}"] = testing.make_user(f"leader_{code}", ["hall_leader"], halls=[hall])
    org.users[f"teller_{code}"] = testing.make_user(f"teller_{code}", ["teller"], halls=[hall])
    return hall


@pytest.fixture
def business():
    return BusinessType.objects.get(code="lv-res-new")


@pytest.fixture
def tx_worg(transactional_db):
    org = testing.make_org()
    org.hall_c = add_same_city_hall(org)
    return org
