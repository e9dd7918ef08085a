"""Property tests of the score rules (R-A1, R-A2): weights total exactly 100, re-weighting of components that do
not apply, vetoes outside the weighted sum, reproducibility from a JSON snapshot."""
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicehall.assessment import scoring

COMPONENTS = scoring.COMPONENTS


@st.composite
def weights_100(draw):
    """Whole-point weights of every component adding up to exactly 100 (cut points on 0…100)."""
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=len(COMPONENTS) - 1, max_size=len(COMPONENTS) - 1)))
    bounds = [0, *cuts, 100]
    return {k: bounds[i + 1] - bounds[i] for i, k in enumerate(COMPONENTS)}


@st.composite
def counts(draw):
    roster = draw(st.integers(0, 30))
    services = draw(st.integers(0, 400))
    rated = draw(st.integers(0, services))
    checks = draw(st.integers(0, 10))
    exam_full = draw(st.sampled_from([0, 50, 100]))  # 0: no monthly exam that month
    return {
        "hall_id": 1, "roster": roster, "attended": draw(st.integers(0, roster)), "errors": draw(st.integers(0, 15)),
        "services": services, "rated": rated, "satisfied": draw(st.integers(0, rated)), "unrated": services - rated,
        "complaints": draw(st.integers(0, 8)), "checks": checks, "checks_passed": draw(st.integers(0, checks)),
        "findings": draw(st.integers(0, 5)), "exam_full": exam_full, "exam_score": draw(st.integers(0, exam_full)),
    }


def rules(weights):
    return scoring.formula(weights, points_per_error=10, points_per_complaint=20)


@given(weights_100())
def test_r_a1_weights_in_whole_points_totalling_100_are_accepted(weights):
    assert scoring.validate_weights(weights) == weights


@given(weights_100(), st.sampled_from(COMPONENTS), st.integers(1, 50))
def test_r_a1_weights_off_100_by_any_point_are_refused(weights, key, delta):
    for changed in (weights[key] + delta, weights[key] - delta):
        if changed >= 0:
            with pytest.raises(scoring.WeightError):
                scoring.validate_weights({**weights, key: changed})


@given(weights_100(), st.sampled_from(COMPONENTS))
def test_r_a1_weights_as_floats_or_decimals_with_fractions_are_refused(weights, key):
    """0.1 + 0.2 … style sums must never pass a rounded check: only whole points are accepted."""
    with pytest.raises(scoring.WeightError):
        scoring.validate_weights({**weights, key: float(weights[key])})
    with pytest.raises(scoring.WeightError):
        scoring.validate_weights({**weights, key: Decimal(weights[key]) + Decimal("0.5")})


@settings(max_examples=300)
@given(weights_100(), counts())
def test_r_a1_reweighting_shares_dropped_points_in_proportion_and_never_averages_a_zero(weights, c):
    parts, exact = scoring.reweight(scoring.components(c, rules(weights)))
    applying = [p for p in parts if p.applies]
    total = sum(p.weight for p in applying)
    if not total:
        assert exact is None
        return
    # the effective weights of the applying components add up to exactly 100, in the ratio of their weights
    assert sum(p.effective_weight for p in applying) == 100
    for p in applying:
        assert p.effective_weight == Fraction(100 * p.weight, total)
    for p in parts:
        if not p.applies:
            assert p.denominator == 0 and p.effective_weight == 0
    # the score is the weighted mean of the applying components only: within their range, not pulled to 0
    values = [p.value for p in applying if p.weight]
    assert min(values) <= exact <= max(values)
    assert exact == sum(p.value * p.weight for p in applying) / total


@given(weights_100(), counts())
def test_r_a1_a_component_that_does_not_apply_changes_nothing_whatever_its_weight(weights, c):
    """A guide (no counter services): adding services that are never counted may not move the score."""
    guide = {**c, "services": 0, "rated": 0, "satisfied": 0, "unrated": 0, "complaints": 0}
    a = scoring.score(guide, rules(weights))
    shifted = dict(weights)
    moved = shifted["satisfaction"]
    shifted["satisfaction"] = 0
    shifted["complaints"] += moved
    b = scoring.score(guide, rules(shifted))
    assert a.weighted == b.weighted


@given(weights_100(), counts(), st.sets(st.sampled_from(["zero_score", "withhold_bonus"])))
def test_r_a2_a_veto_acts_outside_the_weighted_sum(weights, c, effects):
    plain = scoring.score(c, rules(weights))
    vetoed = scoring.score(c, rules(weights), effects)
    assert vetoed.weighted == plain.weighted  # the weighted sum is the records' own
    assert [x.as_dict() for x in vetoed.components] == [x.as_dict() for x in plain.components]
    assert vetoed.vetoed == bool(effects)
    if "zero_score" in effects:
        assert vetoed.score == 0
    else:
        assert vetoed.score == plain.score
    if "withhold_bonus" in effects:
        assert vetoed.bonus_coefficient == 0
    elif "zero_score" not in effects:
        assert vetoed.bonus_coefficient == plain.bonus_coefficient


@given(weights_100(), st.dictionaries(st.integers(1, 10_000).map(str), counts(), max_size=5))
def test_r_a1_a_json_snapshot_reproduces_every_number(weights, inputs):
    """What a month stores (inputs and formula as JSON) gives the same results when read back."""
    formula = rules(weights)
    before = {pk: scoring.score(c, formula).as_dict() for pk, c in inputs.items()}
    stored_inputs, stored_formula = json.loads(json.dumps(inputs)), json.loads(json.dumps(formula))
    after = {pk: scoring.score(c, stored_formula).as_dict() for pk, c in stored_inputs.items()}
    assert before == after


def test_r_a1_worked_example_of_the_fixture_month():
    """teller_a of tests/fixtures.py, by hand: (15×75 + 15×90 + 20×80 + 30×66.67 + 20×50) ÷ 100 = 70.75 → 0.80."""
    c = {"roster": 4, "attended": 3, "errors": 1, "services": 4, "rated": 3, "satisfied": 2, "complaints": 1, "checks": 2,
         "checks_passed": 1, "findings": 0}
    r = scoring.score(c, rules({"attendance": 15, "errors": 15, "complaints": 20, "satisfaction": 30, "etiquette": 20, "exam": 0}))
    assert r.weighted == Decimal("70.75") and r.bonus_coefficient == Decimal("0.80")
    assert [x.as_dict()["score"] for x in r.components] == ["75.00", "90.00", "80.00", "66.67", "50.00", None]  # no exam: dropped
