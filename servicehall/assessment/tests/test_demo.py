"""The demo seeder: this month of the east region computed from the demo's records and under review, with a veto."""
import datetime as dt
import io

import pytest
from django.core.management import call_command

from servicehall.assessment.models import AssessmentMonth, MonthlyScore, Veto


# now, and 00:05 on New Year's Day in the halls' time: this month has no records yet, so the demo assesses December
@pytest.mark.parametrize("demo_clock", [None, "2026-12-31T16:05+00:00"], indirect=True)
def test_demo_has_a_computed_month_under_review_with_scores_from_the_records(db, demo_clock):
    call_command("seed_demo", "--only", "assessment", "--days", "7", stdout=io.StringIO())
    month = AssessmentMonth.objects.get()
    if demo_clock is not None:
        assert month.month == dt.date(2026, 12, 1)
    assert month.status == "review" and month.formula["weights"]
    scores = MonthlyScore.objects.filter(month=month)
    assert scores.count() > 5 and scores.filter(score__isnull=False).count() > 5
    assert any(c["denominator"] for s in scores for c in s.components if c["key"] == "satisfaction")  # tellers served customers
    assert Veto.objects.filter(month=month).count() == 1
