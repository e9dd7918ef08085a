"""bench_scores on a small region: it makes and checks its data, then computes, publishes and closes the month
twice (the second time as a reopened version) and prints the time and statements."""
import io

import pytest
from django.core.management import call_command

from servicehall.assessment.models import AssessmentMonth


def test_bench_scores_runs_the_whole_cycle_on_its_own_checked_data(db, is_postgres):
    if not is_postgres:
        pytest.skip("bench_scores needs PostgreSQL")
    out = io.StringIO()
    call_command("bench_scores", halls=2, runs=2, stdout=out)
    text = out.getvalue()
    assert "'staff': 30" in text and "— checked" in text
    assert "compute + review + close of 30 staff in 2 halls (800 services" in text and "statements" in text
    versions = AssessmentMonth.objects.filter(region__code="bench-scores-2h30s").order_by("version")
    assert [(m.version, m.status) for m in versions] == [(1, "closed"), (2, "closed")]
