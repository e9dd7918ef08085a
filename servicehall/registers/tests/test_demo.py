"""The demo seeder: hygiene owners with the 大堂经理 overall, three weeks of environment records with missed
days the leader's page flags, a cash box left open past its day, decided access requests and one waiting."""
import datetime as dt
import io

from django.core.management import call_command

from servicehall.core.figures import Period
from servicehall.org.models import User
from servicehall.registers import figures, selectors
from servicehall.registers.models import AccessRequest, HygieneOwner


def test_demo_data_shows_every_register_and_its_flags(db):
    call_command("seed_demo", "--only", "registers", "--days", "1", stdout=io.StringIO())
    leader = User.objects.get(username="leader1")
    hall = leader.halls.get()
    assert HygieneOwner.objects.filter(hall=hall, overall=True).exists()
    flags = selectors.flags(leader, hall)
    assert flags["left_open"] and flags["pending"]
    three_weeks = Period.last_days(21, ending=hall.today() - dt.timedelta(days=1))
    assert figures.hall_figures([hall], three_weeks)[hall.pk].missing_days >= 1
    assert AccessRequest.objects.filter(hall=hall, status="left", decided_by__isnull=False).count() >= 1
