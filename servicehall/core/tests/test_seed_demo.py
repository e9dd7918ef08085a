"""`seed_demo`: the demo organisation every app builds its demo data on, and a visit that can be walked
in it at any hour."""
import datetime as dt
import io
from collections import Counter as Tally
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from servicehall.core import registry
from servicehall.core.errors import DomainError
from servicehall.org.demo import ANY_HOUR_HALL
from servicehall.org.management.commands.run_demo import Command as RunDemo
from servicehall.org.models import Company, Counter, Device, Hall, Region, Role, User
from servicehall.org.tenancy import hall_ids_for

SHANGHAI = ZoneInfo("Asia/Shanghai")


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_the_demo_organisation_has_the_promised_shape(db):
    output = seed("--only", "org")
    assert Company.objects.count() == 1
    assert Region.objects.filter(level="city").count() == 2
    halls = list(Hall.objects.all())
    assert len(halls) == 7, "six realistic halls and the demo hall open around the clock"
    assert Tally(h.grade for h in halls if h.code != ANY_HOUR_HALL[1]) == {"A": 2, "B": 2, "C": 2}
    for hall in halls:
        assert 4 <= Counter.objects.filter(hall=hall).count() <= 8
        assert hall.opening_hours.exists()
        assert Device.objects.filter(hall=hall).exists()
        assert set(Counter.objects.filter(hall=hall).values_list("kind", flat=True)) >= {"full", "self"}
    assert 45 <= User.objects.count() <= 60
    present = set(User.objects.values_list("role_grants__role", flat=True))
    assert present >= {r.value for r in Role}, f"missing roles: {({r.value for r in Role}) - present}"
    for username in ["admin", "supervisor", "assessor", "mystery", "leader1", "teller1a", "guide1", "security1", "head3", "leader24", "teller24a"]:
        assert username in output, f"{username} is not among the printed sign-ins"
    assert User.objects.get(username="admin").check_password("demo1234")


def test_a_second_run_leaves_the_data_as_it_is(db):
    seed("--only", "org", "catalogue")
    users = User.objects.count()
    assert "already present" in seed()
    assert User.objects.count() == users


def test_each_demo_user_sees_what_their_role_implies(db):
    seed("--only", "org", "catalogue")
    east = Hall.objects.filter(region__code="east")
    assert hall_ids_for(User.objects.get(username="supervisor")) == set(east.values_list("pk", flat=True))
    assert len(hall_ids_for(User.objects.get(username="assessor"))) == 7
    assert len(hall_ids_for(User.objects.get(username="teller1a"))) == 1


def test_seeders_run_after_those_they_need():
    order = [s.key for s in registry.ordered_seeders()]
    for seeder in registry.SEEDERS.values():
        for dependency in seeder.after:
            if dependency in registry.SEEDERS:
                assert order.index(dependency) < order.index(seeder.key), f"{seeder.key} runs before {dependency}"


def test_every_app_seeder_runs_on_the_demo_organisation(db):
    # at an hour when the realistic halls are closed: `make demo` is run at any hour
    with time_machine.travel(dt.datetime(2026, 3, 8, 22, 30, tzinfo=SHANGHAI), tick=False):
        output = seed("--days", "1")
    for key in registry.SEEDERS:
        assert f"seeding {key}" in output
    assert "Demo data loaded" in output


@pytest.mark.parametrize("moment", [dt.datetime(2026, 3, 2, 3, 0, tzinfo=SHANGHAI), dt.datetime(2026, 3, 8, 22, 0, tzinfo=SHANGHAI)],
                         ids=["monday-0300", "sunday-2200"])
def test_a_whole_visit_can_be_walked_in_the_demo_at_any_hour(db, moment):
    """Issue 10 part 7: after 16:00 every real demo hall is closed; the demo hall open around the clock
    takes a ticket, and its teller calls, serves and gets it rated, at 03:00 and at 22:00 Beijing time."""
    from servicehall.catalogue.models import BusinessType
    from servicehall.queueing import page_selectors, services

    with time_machine.travel(moment, tick=False):
        seed("--only", "queueing", "--days", "1")  # the visit loop's seeders (org, catalogue, queueing)
        hall = Hall.objects.get(code=ANY_HOUR_HALL[1])
        kiosk = Device.objects.get(hall=hall, kind="kiosk")
        with pytest.raises(DomainError) as closed:
            services.take_ticket(hall=Hall.objects.get(code="hx-central"), category="A")  # (a kiosk acts only in its own hall)
        assert closed.value.code == "hall_closed", "the realistic halls keep their hours"

        ticket = services.take_ticket(hall=hall, category="A", device=kiosk)
        teller = User.objects.get(username="teller24a")
        counter = page_selectors.teller_counter(teller, hall)
        assert counter is not None, "the any-hour hall's teller is signed on at a counter"
        called = services.call_next(counter=counter, by=teller)
        assert called is not None
        services.start_service(counter=counter, by=teller)
        business = BusinessType.objects.filter(category=called.category, is_active=True).first()
        service = services.finish_service(counter=counter, by=teller, business_types=[business])
        pad = Device.objects.get(hall=hall, kind="pad", counter=counter)
        assert services.rate_service(service=service, score="satisfied", device=pad).score == "satisfied"
        assert ticket.business_day == moment.date()


def test_run_demo_points_at_the_any_hour_hall(db):
    seed("--only", "org")
    out = io.StringIO()
    RunDemo(stdout=out).print_sign_ins("127.0.0.1", "8000")
    printed = out.getvalue()
    hall = Hall.objects.get(code=ANY_HOUR_HALL[1])
    assert hall.name in printed and "leader24" in printed and "teller24a" in printed
    for path in ("kiosk", "console", "board", "pad", "live"):
        assert f"http://127.0.0.1:8000/queue/{path}/?hall={hall.pk}" in printed
