"""R-I1 scoring rules: weighted percentage, N/A excluded, a failed critical item fails the check."""
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicehall.inspections.scoring import AnswerError, AnswerValue, ItemSpec, evaluate_item, score

weights = st.integers(min_value=1, max_value=50).map(Decimal)


@st.composite
def checklists(draw, min_size=1):
    """A list of scored items of every kind with an answer for each (pass/fail/na, scores, numbers)."""
    n = draw(st.integers(min_value=min_size, max_value=12))
    specs, answers = [], {}
    for i in range(n):
        key = f"i{i}"
        kind = draw(st.sampled_from(["pass_fail", "score", "number"]))
        critical = draw(st.booleans()) if draw(st.integers(0, 4)) == 0 else False
        weight = draw(weights)
        if kind == "pass_fail":
            spec = ItemSpec(key, kind, weight, critical)
            answer = AnswerValue(result=draw(st.sampled_from(["pass", "fail", "na"])))
        elif kind == "score":
            top = draw(st.integers(1, 10))
            spec = ItemSpec(key, kind, weight, critical, max_score=top, pass_score=draw(st.integers(0, top)))
            answer = AnswerValue(result="na") if draw(st.integers(0, 5)) == 0 else AnswerValue(score=Decimal(draw(st.integers(0, top))))
        else:
            spec = ItemSpec(key, kind, weight, critical, number_max=Decimal(draw(st.integers(0, 20))))
            answer = AnswerValue(result="na") if draw(st.integers(0, 5)) == 0 else AnswerValue(number=Decimal(draw(st.integers(0, 30))))
        specs.append(spec)
        answers[key] = answer
    return specs, answers


def oracle(specs, answers) -> Fraction | None:
    """The rule written out with exact fractions: Σ weight × fraction earned / Σ weight, N/A left out."""
    earned = possible = Fraction(0)
    for s in specs:
        a = answers[s.key]
        if a.result == "na":
            continue
        w = Fraction(s.weight)
        if s.kind == "pass_fail":
            frac = Fraction(1 if a.result == "pass" else 0)
        elif s.kind == "score":
            frac = Fraction(int(a.score), s.max_score)
        else:
            frac = Fraction(1 if a.number <= s.number_max else 0)
        earned += w * frac
        possible += w
    return None if possible == 0 else earned / possible * 100


@settings(max_examples=300, deadline=None)
@given(checklists())
def test_r_i1_score_is_the_weighted_percentage_of_applicable_items(case):
    specs, answers = case
    result = score(specs, answers)
    expected = oracle(specs, answers)
    if expected is None:
        assert result.percent is None
    else:
        assert abs(Fraction(result.percent) - expected) <= Fraction(1, 200)  # rounded to 0.01
        assert Decimal(0) <= result.percent <= Decimal(100)


@settings(max_examples=200, deadline=None)
@given(checklists(), st.integers(min_value=0, max_value=12), weights, st.booleans())
def test_r_i1_an_item_marked_na_changes_nothing(case, position, weight, critical):
    specs, answers = case
    base = score(specs, answers)
    extra = ItemSpec("extra", "pass_fail", weight, critical)
    specs2 = specs[:position] + [extra] + specs[position:]
    with_na = score(specs2, answers | {"extra": AnswerValue(result="na")})
    assert (with_na.percent, with_na.passed, with_na.critical_failed) == (base.percent, base.passed, base.critical_failed)


@settings(max_examples=200, deadline=None)
@given(checklists(), st.integers(min_value=2, max_value=9))
def test_r_i1_scaling_every_weight_keeps_the_score(case, factor):
    specs, answers = case
    scaled = [ItemSpec(s.key, s.kind, s.weight * factor, s.critical, s.max_score, s.pass_score, s.number_min, s.number_max) for s in specs]
    assert score(scaled, answers).percent == score(specs, answers).percent


@settings(max_examples=300, deadline=None)
@given(checklists())
def test_r_i1_a_failed_critical_item_fails_the_whole_check(case):
    specs, answers = case
    result = score(specs, answers, pass_mark=0)
    critical_failures = [s.key for s in specs if s.critical and evaluate_item(s, answers[s.key]).failed]
    assert result.critical_failed == bool(critical_failures)
    if critical_failures:
        assert result.passed is False
    else:
        assert result.passed is True  # pass mark 0: nothing else can fail it


@settings(max_examples=200, deadline=None)
@given(checklists())
def test_r_i1_turning_a_fail_into_a_pass_never_lowers_the_score(case):
    specs, answers = case
    before = score(specs, answers)
    for s in specs:
        if s.kind == "pass_fail" and answers[s.key].result == "fail":
            after = score(specs, answers | {s.key: AnswerValue(result="pass")})
            assert after.percent >= before.percent
            assert not (before.passed and not after.passed)


def test_r_i1_weights_decide_the_percentage():
    specs = [ItemSpec("a", weight=Decimal(3)), ItemSpec("b", weight=Decimal(1)), ItemSpec("c", weight=Decimal(5))]
    answers = {"a": AnswerValue("pass"), "b": AnswerValue("fail"), "c": AnswerValue("na")}
    result = score(specs, answers, pass_mark=80)
    assert result.percent == Decimal("75.00")
    assert result.passed is False
    assert result.failed_keys == ("b",)


def test_r_i1_a_critical_fail_fails_even_at_a_high_percentage():
    specs = [ItemSpec(f"i{n}") for n in range(19)] + [ItemSpec("games", critical=True)]
    answers = {f"i{n}": AnswerValue("pass") for n in range(19)} | {"games": AnswerValue("fail")}
    result = score(specs, answers, pass_mark=80)
    assert result.percent == Decimal("95.00")
    assert result.critical_failed and not result.passed


def test_r_i1_score_item_earns_its_share_and_fails_below_its_pass_score():
    spec = ItemSpec("attitude", "score", Decimal(2), max_score=5, pass_score=4)
    outcome = evaluate_item(spec, AnswerValue(score=Decimal(3)))
    assert outcome.earned == Decimal("1.2") and outcome.possible == Decimal(2) and outcome.failed
    assert not evaluate_item(spec, AnswerValue(score=Decimal(4))).failed
    with pytest.raises(AnswerError):
        evaluate_item(spec, AnswerValue(score=Decimal(6)))


def test_r_i1_numbers_pass_inside_their_range_and_text_items_are_not_scored():
    spec = ItemSpec("minutes", "number", number_max=Decimal(5))
    assert evaluate_item(spec, AnswerValue(number=Decimal(5))).failed is False
    assert evaluate_item(spec, AnswerValue(number=Decimal("5.5"))).failed is True
    result = score([spec, ItemSpec("notes", "text")], {"minutes": AnswerValue(number=Decimal(3))})
    assert result.percent == Decimal("100.00") and result.unanswered_keys == ()


def test_r_i1_unanswered_scored_items_are_reported_and_all_na_has_no_score():
    specs = [ItemSpec("a"), ItemSpec("b")]
    assert score(specs, {"a": AnswerValue("pass")}).unanswered_keys == ("b",)
    all_na = score(specs, {"a": AnswerValue("na"), "b": AnswerValue("na")})
    assert all_na.percent is None and all_na.passed
