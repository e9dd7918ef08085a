"""The demo seeder: weeks of morning meetings with yesterday's review, handovers and daily errors."""
import io

from django.core.management import call_command

from servicehall.onsite.models import ErrorRecord, Handover, Meeting


def test_demo_data_has_meetings_with_reviews_handovers_and_errors(db):
    out = io.StringIO()
    call_command("seed_demo", "--only", "onsite", "--days", "7", stdout=out)
    finished = Meeting.objects.filter(finished_at__isnull=False)
    assert finished.count() > 20
    assert finished.exclude(review={}).filter(attendance__isnull=False).exists()
    assert Handover.objects.exists() and ErrorRecord.objects.exists()
