"""The three-party formula (R-A5) and its weights: whole points totalling 100, checked in Python, in the form's
service and by the database; a party without data dropped and its points shared in proportion."""
from fractions import Fraction

import pytest
from django.db import IntegrityError, transaction

from servicehall.core.errors import DomainError
from servicehall.core.weights import WeightError
from servicehall.evaluation import scoring, services
from servicehall.evaluation.models import PartyWeights

W = {"customer": 40, "expert": 30, "internal": 30}


def test_r_a5_the_combined_score_is_the_weighted_mean_of_the_three_parties():
    effective, exact = scoring.combine({"customer": Fraction(90), "expert": Fraction(80), "internal": Fraction(70)}, W)
    assert exact == Fraction(81) and scoring.rounded(exact) == scoring.rounded(Fraction(8100, 100))
    assert effective == {"customer": 40, "expert": 30, "internal": 30}


def test_r_a5_a_party_without_data_is_dropped_and_its_points_shared_in_proportion_never_zero():
    effective, exact = scoring.combine({"customer": Fraction(90), "expert": Fraction(80), "internal": None}, W)
    assert exact == Fraction(40 * 90 + 30 * 80, 70)  # not (40×90 + 30×80 + 30×0) ÷ 100
    assert str(scoring.rounded(exact)) == "85.71"
    assert effective == {"customer": Fraction(4000, 70), "expert": Fraction(3000, 70)}
    assert scoring.combine({"customer": None, "expert": None, "internal": None}, W) == ({}, None)


def test_r_a5_a_party_is_the_mean_of_its_sources_with_data():
    assert scoring.party_score([Fraction(90), None, Fraction(80)]) == Fraction(85)
    assert scoring.party_score([None, None]) is None


def test_r_a5_survey_rows_pool_counts_and_scores_by_sample():
    pooled = scoring.SurveyFigure().add(sample=120, satisfied=108, score=None).add(sample=200, satisfied=None, score="80")
    assert (pooled.sample, pooled.satisfied) == (320, Fraction(268)) and pooled.value == Fraction(26800, 320)


@pytest.mark.parametrize("bad", [
    {"customer": 50, "expert": 30, "internal": 30},
    {"customer": 40.0, "expert": 30, "internal": 30},
    {"customer": 40, "expert": 30},
    {"customer": -10, "expert": 80, "internal": 30},
    {"customer": True, "expert": 69, "internal": 30},
])
def test_r_a5_weights_must_be_whole_points_totalling_exactly_100(bad):
    with pytest.raises(WeightError):
        scoring.validate_weights(bad)


def test_r_a5_the_weights_service_refuses_a_bad_total_and_the_database_checks_it(org):
    admin = org.user("admin")
    with pytest.raises(DomainError) as refused:
        services.set_weights(region=org.region_a, weights={"customer": 50, "expert": 30, "internal": 30}, by=admin)
    assert "100" in str(refused.value.message)
    assert not PartyWeights.objects.exists()
    row = services.set_weights(region=org.region_a, weights={"customer": 60, "expert": 40, "internal": 0}, by=admin)
    assert (row.customer, row.expert, row.internal) == (60, 40, 0)
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyWeights.objects.filter(pk=row.pk).update(internal=1)


def test_r_a5_only_administrators_set_the_weights(org):
    with pytest.raises(DomainError):
        services.set_weights(region=org.region_a, weights=W, by=org.user("supervisor_a"))


@pytest.mark.parametrize("text, name", [("2026-11", "2026-11"), ("2026-q4", "2026-Q4"), ("", "2026-Q4"), ("2026-13", "2026-Q4"),
                                        ("0000-Q1", "2026-Q4"), ("x" * 2000, "2026-Q4")])
def test_r_a5_the_period_is_a_month_or_a_quarter_else_this_quarter(text, name):
    import datetime as dt

    from servicehall.evaluation.selectors import parse_period

    assert parse_period(text, today=dt.date(2026, 11, 20))[1] == name


def test_r_a5_a_period_far_from_today_is_refused():
    import datetime as dt

    from servicehall.evaluation.selectors import parse_period

    with pytest.raises(DomainError):
        parse_period("1999-01", today=dt.date(2026, 11, 20))
