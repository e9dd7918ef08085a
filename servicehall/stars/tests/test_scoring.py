"""R-A3 star formula as arithmetic: weights validated to exactly 100, re-weighting when no customer score
applies, the bonus cap, the level thresholds (property tests with hypothesis)."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicehall.core.errors import DomainError
from servicehall.stars import scoring

from .fixtures import FORMULA

SNAPSHOT = {"weights": {"self": 10, "peer": 20, "leader": 30, "customer": 40}, "points_per_flower": 2, "max_bonus": 10,
            "thresholds": [60, 70, 80, 90, 95]}
score = st.decimals(min_value=0, max_value=100, places=1)


def test_r_a3_the_stated_formula_gives_the_hand_computed_level():
    # customer = 18/20 × 100 + 3 flowers × 2 = 96; weighted = (9.0 + 17.0 + 27.0 + 38.4) = 91.4; + 2 bonus = 93.4 → 4 stars
    r = scoring.compute(SNAPSHOT, self_score=90, peer_score=85, leader_score=90, bonus=2, rated=20, satisfied=18, flowers=3)
    assert (r.customer_score, r.weighted, r.total, r.level) == (Decimal("96.0"), Decimal("91.4"), Decimal("93.4"), 4)


def test_r_a3_without_rated_services_the_customer_score_is_dropped_and_the_rest_reweighted_never_zero():
    r = scoring.compute(SNAPSHOT, self_score=90, peer_score=90, leader_score=90, bonus=0, rated=0, satisfied=0, flowers=5)
    assert r.customer_score is None and r.total == Decimal("90.0") and r.level == 4


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=4, max_size=4))
def test_r_a3_weights_are_accepted_only_when_they_total_exactly_100(weights):
    values = {**FORMULA, **dict(zip(("self_weight", "peer_weight", "leader_weight", "customer_weight"), weights, strict=True))}
    if sum(weights) == 100:
        assert scoring.validate(values)["self_weight"] == weights[0]
    else:
        with pytest.raises(DomainError) as exc:
            scoring.validate(values)
        assert exc.value.code == "weights_total"


@pytest.mark.parametrize("levels", [[60, 60, 80, 90, 95], [0, 70, 80, 90, 95], [60, 70, 80, 95, 90], [60, 70, 80, 90, 101]])
def test_r_a3_level_thresholds_must_rise_within_1_to_100(levels):
    with pytest.raises(DomainError) as exc:
        scoring.validate({**FORMULA, **{f"star{i + 1}": v for i, v in enumerate(levels)}})
    assert exc.value.code == "levels_rise"


@given(score, score, score, st.decimals(min_value=0, max_value=10, places=1), st.integers(0, 50), st.integers(0, 50), st.integers(0, 30))
def test_r_a3_total_stays_within_0_100_and_the_level_is_the_thresholds_reached(s, p, lead, bonus, rated, satisfied, flowers):
    satisfied = min(satisfied, rated)
    r = scoring.compute(SNAPSHOT, self_score=s, peer_score=p, leader_score=lead, bonus=bonus, rated=rated, satisfied=satisfied, flowers=flowers)
    assert Decimal(0) <= r.total <= Decimal(100)
    assert r.level == sum(1 for t in SNAPSHOT["thresholds"] if r.total >= t)
    if r.customer_score is not None:
        assert r.customer_score <= 100


def test_r_a3_a_bonus_above_the_cap_is_refused():
    with pytest.raises(DomainError) as exc:
        scoring.compute(SNAPSHOT, self_score=90, peer_score=90, leader_score=90, bonus=Decimal("10.5"), rated=1, satisfied=1, flowers=0)
    assert exc.value.code == "bad_bonus"
