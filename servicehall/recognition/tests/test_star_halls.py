"""R-A6 star halls and hall rankings: criteria are data; each figure comes from its owning app (hand-counted
October of hall A, assessment's fixture: satisfaction 2 / 3 rated, 1 hall-responsible complaint over 4
customers, 2 published checks of which 1 passed, no patrol due); a level needs its criteria and those of every
level below; halls rank by level, then criteria met, ties shared."""
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from servicehall.assessment.tests.fixtures import AFTER_MONTH, MONTH, month_records
from servicehall.core.figures import Period, Rate
from servicehall.recognition import star_halls
from servicehall.recognition.models import StarCriterion, StarLevel


@pytest.fixture
def october(org):
    with time_machine.travel(AFTER_MONTH, tick=False):
        month_records(org)
    StarLevel.objects.all().delete()  # the shipped levels: replaced by the hand-made ones below
    one = StarLevel.objects.create(stars=1, name="一星")
    StarCriterion.objects.create(level=one, figure="satisfaction", op="ge", threshold=Decimal("66.67"))
    StarCriterion.objects.create(level=one, figure="inspection_pass", op="ge", threshold=Decimal("50"))
    two = StarLevel.objects.create(stars=2, name="二星")
    StarCriterion.objects.create(level=two, figure="complaint_rate", op="le", threshold=Decimal("2500"))
    three = StarLevel.objects.create(stars=3, name="三星")
    StarCriterion.objects.create(level=three, figure="patrol_on_time", op="ge", threshold=Decimal("90"))
    return org


def test_r_a6_exact_comparison_of_a_figure_with_its_threshold():
    two_thirds = Rate(2, 3, 100)  # 66.666…%, shown 66.7%
    assert star_halls.meets(two_thirds, "ge", Decimal("66.66")) is True
    assert star_halls.meets(two_thirds, "ge", Decimal("66.67")) is False, "compared before rounding, not after"
    assert star_halls.meets(Rate(0, 0, 100), "ge", Decimal("0")) is None


def test_r_a6_a_halls_star_level_reads_every_criterion_from_the_owning_figures(october):
    ratings = {r.hall.code: r for r in star_halls.rate_halls([october.hall_a, october.hall_b], Period.month(MONTH))}
    a = ratings["ha"]
    got = [(c.level, c.label, c.rate.numerator, c.rate.denominator, c.met) for c in a.results]
    assert got == [(1, "满意率", 2, 3, False), (1, "检查合格率", 1, 2, True), (2, "有责投诉率", 1, 4, True), (3, "巡检按时率", 0, 0, None)]
    assert a.stars == 0, "66.666…% misses 66.67: level one fails, so level two (met) does not count either"
    StarCriterion.objects.filter(figure="satisfaction").update(threshold=Decimal("66.66"))
    ratings = {r.hall.code: r for r in star_halls.rate_halls([october.hall_a, october.hall_b], Period.month(MONTH))}
    assert (ratings["ha"].stars, ratings["ha"].level_name, ratings["ha"].met) == (2, "二星", 3)
    assert (ratings["hb"].stars, ratings["hb"].met) == (0, 0), "no records, no denominators: nothing met"
    assert [(r.hall.code, r.rank) for r in star_halls.rate_halls([october.hall_b, october.hall_a], Period.month(MONTH))] == [("ha", 1), ("hb", 2)]


def test_r_a6_the_ranking_page_shows_the_formula_and_each_count_within_scope(client, october):
    StarCriterion.objects.filter(figure="satisfaction").update(threshold=Decimal("66.66"))
    client.force_login(october.user("supervisor_all"))
    html = client.get(reverse("recognition:star_halls"), {"month": "2026-10"}).content.decode()
    assert 'data-testid="hall-ha" data-stars="2"' in html and 'data-testid="hall-hb" data-stars="0"' in html
    assert "(2 / 3)" in html and "(1 / 4)" in html and "取达到的最高星级" in html and "名次并列" in html
    client.force_login(october.user("leader_a"))
    html = client.get(reverse("recognition:star_halls"), {"month": "2026-10"}).content.decode()
    assert 'data-testid="hall-ha"' in html and 'data-testid="hall-hb"' not in html, "a hall leader ranks only their halls"
    assert client.get(reverse("recognition:star_halls"), {"month": "1900-01"}).status_code == 400
    client.force_login(october.user("teller_a"))
    assert client.get(reverse("recognition:star_halls")).status_code == 403
