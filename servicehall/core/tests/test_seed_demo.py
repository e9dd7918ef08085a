"""`seed_demo`: the demo organisation every app builds its demo data on."""
import io
from collections import Counter as Tally

from django.core.management import call_command

from servicehall.core import registry
from servicehall.org.models import Company, Counter, Device, Hall, Region, Role, User
from servicehall.org.tenancy import hall_ids_for


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_the_demo_organisation_has_the_promised_shape(db):
    output = seed("--only", "org")
    assert Company.objects.count() == 1
    assert Region.objects.filter(level="city").count() == 2
    halls = list(Hall.objects.all())
    assert len(halls) == 6
    assert Tally(h.grade for h in halls) == {"A": 2, "B": 2, "C": 2}
    for hall in halls:
        assert 4 <= Counter.objects.filter(hall=hall).count() <= 8
        assert hall.opening_hours.exists()
        assert Device.objects.filter(hall=hall).exists()
        assert set(Counter.objects.filter(hall=hall).values_list("kind", flat=True)) >= {"full", "self"}
    assert 35 <= User.objects.count() <= 50
    present = set(User.objects.values_list("role_grants__role", flat=True))
    assert present >= {r.value for r in Role}, f"missing roles: {({r.value for r in Role}) - present}"
    for username in ["admin", "supervisor", "assessor", "mystery", "leader1", "teller1a", "guide1", "security1", "head3"]:
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
    assert len(hall_ids_for(User.objects.get(username="assessor"))) == 6
    assert len(hall_ids_for(User.objects.get(username="teller1a"))) == 1


def test_seeders_run_after_those_they_need():
    order = [s.key for s in registry.ordered_seeders()]
    for seeder in registry.SEEDERS.values():
        for dependency in seeder.after:
            if dependency in registry.SEEDERS:
                assert order.index(dependency) < order.index(seeder.key), f"{seeder.key} runs before {dependency}"


def test_every_app_seeder_runs_on_the_demo_organisation(db):
    output = seed("--days", "1")
    for key in registry.SEEDERS:
        assert f"seeding {key}" in output
    assert "Demo data loaded" in output
