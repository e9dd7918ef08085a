"""The per-person figures assessment added to the owning apps (R-A1): each counts what the app's existing figure
counts, and its rows are exactly the rows behind that count."""
import pytest
import time_machine

from servicehall.cases import figures as case_figures
from servicehall.core.figures import Period
from servicehall.inspections import figures as inspection_figures
from servicehall.onsite import figures as onsite_figures
from servicehall.queueing import figures as queue_figures

from .fixtures import AFTER_MONTH, MONTH, month_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(org):
    with time_machine.travel(AFTER_MONTH, tick=False):
        return month_records(org)


def test_r_a1_cases_staff_complaints_split_by_attribution_and_match_the_hall_figures(org, records):
    teller, _guide = records
    period = Period.month(MONTH)
    split = case_figures.staff_complaint_figures([org.hall_a], period)[teller.pk]
    assert (split.hall_responsible, split.not_hall, split.pending) == (1, 1, 0)
    hall = case_figures.hall_figures([org.hall_a], period)[org.hall_a.pk]
    assert (hall.hall_responsible, hall.not_hall) == (split.hall_responsible, split.not_hall)
    rows = list(case_figures.staff_complaints([org.hall_a], period, teller.pk))
    assert sorted(r.hall_responsible for r in rows) == [False, True]
    assert case_figures.staff_complaint_figures([org.hall_b], period) == {}


def test_r_a1_teller_services_are_the_rows_of_teller_figures(org, records):
    teller, _guide = records
    period = Period.month(MONTH)
    figures = queue_figures.teller_figures([org.hall_a], period)[teller.pk]
    rows = list(queue_figures.teller_services([org.hall_a], period, teller.pk))
    assert len(rows) == figures.services == 4
    assert sum(1 for s in rows if not hasattr(s, "rating")) == figures.unrated == 1


def test_r_a1_attendance_and_error_rows_are_the_rows_of_person_figures(org, records):
    teller, guide = records
    period = Period.month(MONTH)
    people = onsite_figures.person_figures([org.hall_a], period)
    for person in (teller, guide):
        rows = list(onsite_figures.attendance_rows([org.hall_a], period, person.pk))
        assert len(rows) == people[person.pk].roster
        assert sum(1 for r in rows if r.status in onsite_figures.ATTENDED) == people[person.pk].attended
    assert len(onsite_figures.error_rows([org.hall_a], period, teller.pk)) == people[teller.pk].errors == 1


def test_r_a1_published_inspections_are_the_rows_of_inspection_figures(org, records):
    period = Period.month(MONTH)
    by_kind = inspection_figures.inspection_figures([org.hall_a], period)[org.hall_a.pk]
    rows = list(inspection_figures.published_inspections([org.hall_a], period))
    assert len(rows) == sum(f.inspections for f in by_kind.values()) == 2
    assert sum(1 for r in rows if r.passed) == sum(f.passed for f in by_kind.values()) == 1


def test_r_a1_security_checks_and_expert_sheets_stay_out_of_the_inspection_pass_rate(org, records):
    """A failed periodic security check or an expert's capability sheet is a figure of its own: it must not
    move the hall's inspection pass rate, the etiquette rows of the staff score or the monthly report."""
    from servicehall.inspections.models import Inspection, InspectionKind
    period = Period.month(MONTH)
    before = inspection_figures.inspection_figures([org.hall_a], period)[org.hall_a.pk]
    sample = Inspection.objects.filter(hall=org.hall_a).first()
    for kind in (InspectionKind.SECURITY, InspectionKind.EXPERT):
        Inspection.objects.create(hall=org.hall_a, kind=kind, status="published", version=sample.version,
                                  submitted_at=sample.submitted_at, published_at=sample.published_at, passed=False, score=10)
    assert inspection_figures.inspection_figures([org.hall_a], period)[org.hall_a.pk] == before
    assert len(inspection_figures.published_inspections([org.hall_a], period)) == 2
    own = inspection_figures.inspection_figures([org.hall_a], period, kinds=[InspectionKind.SECURITY])[org.hall_a.pk]
    assert (own["security"].inspections, own["security"].passed) == (1, 0)
