"""star_levels without DISTINCT ON: the demo runs on SQLite, which has none (the notice page, the board and the pad
answered 500 there while every PostgreSQL test passed); core/tests/test_portable_queries.py keeps the rule."""
import datetime as dt

import pytest
from django.utils import timezone

from servicehall.stars.models import StarReview
from servicehall.stars.selectors import star_levels


@pytest.mark.django_db
def test_star_levels_read_each_persons_latest_quarter(org):
    """The query that broke the demo, rewritten portably, on the suite's database: the latest quarter's level."""
    teller, guide = org.user("teller_a"), org.user("guide_a")
    for person, quarter, level in [(teller, dt.date(2026, 4, 1), 2), (teller, dt.date(2026, 7, 1), 4), (guide, dt.date(2026, 4, 1), 3)]:
        StarReview.objects.create(hall=org.hall_a, person=person, quarter=quarter, self_score=80, peer_score=80, leader_score=80,
                                  total=level * 20, level=level, recorded_at=timezone.now())
    levels = star_levels([teller.pk, guide.pk])
    assert {pid: (s.level, s.quarter) for pid, s in levels.items()} == {
        teller.pk: (4, dt.date(2026, 7, 1)), guide.pk: (3, dt.date(2026, 4, 1))}
