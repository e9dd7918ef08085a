"""The demo seeder: checklists, weeks of patrols and security checks (some missed), visits (one unpublished) and
tasks in every state."""
import io

import pytest
from django.core.management import call_command

from servicehall.inspections import selectors
from servicehall.inspections.models import ChecklistTemplate, Inspection, PatrolSlot, RectificationTask, SecurityCheckSlot
from servicehall.org.models import User


# now, and the instant at which the dice once closed every task of the first hall (CI, 29 Nov 2026)
@pytest.mark.parametrize("demo_clock", [None, "2026-11-20T17:30+00:00"], indirect=True)
def test_demo_data_shows_every_state_a_reviewer_should_see(db, demo_clock):
    out = io.StringIO()
    call_command("seed_demo", "--only", "inspections", "--days", "7", stdout=out)
    assert ChecklistTemplate.objects.count() == 12  # eight service checks, three security checks by cadence, the expert capability sheet
    assert SecurityCheckSlot.objects.filter(done_at__isnull=False, inspection__kind="security").count() > 20
    assert SecurityCheckSlot.objects.filter(missed_at__isnull=False, done_at__isnull=True).exists()  # the flag has something to show
    assert PatrolSlot.objects.filter(done_at__isnull=False).count() > 50
    assert PatrolSlot.objects.filter(missed_at__isnull=False, done_at__isnull=True).exists()
    assert set(RectificationTask.objects.values_list("status", flat=True)) == {"open", "submitted", "closed"}
    assert RectificationTask.objects.filter(owner__username="teller1a").exists()
    hidden = Inspection.objects.get(kind="mystery", status="submitted")
    leader = User.objects.get(username="leader1")
    assert leader.halls.filter(pk=hidden.hall_id).exists()  # the first hall's visit waits for publication
    assert not selectors.inspections_for(leader).filter(pk=hidden.pk).exists()
    assert selectors.inspections_for(User.objects.get(username="supervisor")).filter(pk=hidden.pk).exists()
    assert selectors.halls_without_mystery_visit(User.objects.get(username="supervisor2"), day=hidden.planned_for)
