"""The demo seeder: approved trainings in every hall, one waiting for approval, this month's exams (all passed:
no demo teller is held off a counter) and a certificate; the demo's staff score reads the exam."""
import io

import pytest
from django.core.management import call_command

from servicehall.assessment.models import AssessmentMonth, Suspension
from servicehall.training.models import Certificate, MonthlyExam, Training


# 00:50 on 1 December in Shanghai: early in a month the demo assesses the month just ended (CI met it there)
@pytest.mark.parametrize("demo_clock", [None, "2026-11-30T16:50+00:00"], indirect=True)
def test_demo_has_trainings_exams_and_a_certificate_and_the_score_reads_the_exam(db, demo_clock):
    call_command("seed_demo", "--only", "assessment", "standards", "training", "--days", "3", stdout=io.StringIO())
    assert Training.objects.filter(status="approved").count() >= 6 and Training.objects.filter(status="entered").exists()
    assert MonthlyExam.objects.exists() and not MonthlyExam.objects.filter(attempt__gt=1).exists()
    assert Certificate.objects.count() == 1 and not Suspension.objects.exists()
    etiquette = Training.objects.filter(category="etiquette").first()
    assert {s.category for s in etiquette.standards.all()} == {"polite", "forbidden"}  # the course links the library
    month = AssessmentMonth.objects.get()
    assert month.formula["weights"]["exam"] == 10
    assert any(c["key"] == "exam" and c["denominator"] for s in month.scores.all() for c in s.components)
