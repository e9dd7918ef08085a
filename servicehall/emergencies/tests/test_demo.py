"""The demo seeder: a contact network on every level for every demo hall, closed incidents with their
closure record and one open incident on the hall leader's home page."""
import io

from django.core.management import call_command

from servicehall.emergencies import selectors
from servicehall.emergencies.models import Incident
from servicehall.org.models import Hall


def test_demo_data_has_a_network_closed_incidents_and_an_open_one(db):
    call_command("seed_demo", "--only", "emergencies", "--days", "1", stdout=io.StringIO())
    for hall in Hall.objects.all():
        assert selectors.unreachable_levels(hall) == [], f"{hall} has a level nobody answers"
    closed = Incident.objects.filter(status="closed")
    assert closed.count() >= 4 and not closed.filter(closure_summary="").exists()
    open_incident = Incident.objects.exclude(status="closed").get()
    assert open_incident.notifications.filter(level=1).exists()
