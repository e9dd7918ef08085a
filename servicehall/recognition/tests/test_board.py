"""R-S6 the team board: the ranking of the latest published monthly scores (read from assessment), today's and
this month's daily errors (onsite figures), titles, the study corner and the last Friday team meeting — checked
against a hand-made fixture; the Friday team meeting is a kind of onsite's meeting."""
import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from servicehall.assessment.models import AssessmentMonth, MonthlyScore
from servicehall.core.errors import DomainError
from servicehall.core.models import LiveEvent
from servicehall.onsite import services as onsite_services
from servicehall.onsite.models import ErrorRecord, Meeting
from servicehall.recognition import selectors, services

from .conftest import FEBRUARY, START_OF_MONTH, titles

FRIDAY_AFTERNOON = START_OF_MONTH + dt.timedelta(days=3, hours=6)  # Friday 6 March, 16:00


def _scores(org, month, values, *, hall=None):
    for key, score in values.items():
        MonthlyScore.objects.create(month=month, person=org.user(key), hall=hall or org.hall_a, score=score,
                                    weighted=score, vetoed=key == "security_a")


@pytest.fixture
def team(org, clock):
    """February closed (v1) for region A: guide 92, teller and leader 88.5 (a tie), security vetoed at 0; a
    March month only computed (unpublished: not on the board); hall B's teller scored 99 (another team).
    Daily errors: teller 2 today and 1 on 2 March, guide 1 on 2 March. Titles, a study note."""
    closed = AssessmentMonth.objects.create(region=org.region_a, month=FEBRUARY, status="review")
    _scores(org, closed, {"guide_a": Decimal("92.00"), "teller_a": Decimal("88.50"), "leader_a": Decimal("88.50"),
                          "security_a": Decimal("0.00")})
    AssessmentMonth.objects.filter(pk=closed.pk).update(status="closed")  # scores first: a closed month refuses new rows
    computed = AssessmentMonth.objects.create(region=org.region_a, month=dt.date(2026, 3, 1), status="computed")
    _scores(org, computed, {"teller_a": Decimal("100.00")})
    other = AssessmentMonth.objects.create(region=org.region_b, month=FEBRUARY, status="review")
    _scores(org, other, {"teller_b": Decimal("99.00")}, hall=org.hall_b)
    today, earlier = dt.date(2026, 3, 3), dt.date(2026, 3, 2)
    for person, day in [("teller_a", today), ("teller_a", today), ("teller_a", earlier), ("guide_a", earlier)]:
        ErrorRecord.objects.create(hall=org.hall_a, business_day=day, person=org.user(person), category="business", description="少收资料")
    ErrorRecord.objects.create(hall=org.hall_a, business_day=dt.date(2026, 2, 27), person=org.user("guide_a"), category="fee",
                               description="上月差错")
    shipped = titles()
    services.award_title(hall=org.hall_a, title=shipped["installation_expert"], person_id=org.user("teller_a").pk, month=FEBRUARY,
                         by=org.user("leader_a"))
    services.post_note(hall=org.hall_a, by=org.user("leader_a"), title="电价政策学习", link="https://example.com/tariff")
    return org


def test_r_s6_the_board_ranks_the_latest_published_scores_of_the_team(team):
    b = selectors.board(team.hall_a)
    assert b.score_month.month == FEBRUARY and b.score_month.status == "closed"
    assert [(r.rank, r.name, r.score, r.vetoed) for r in b.ranking] == [
        (1, "guide_a", Decimal("92.00"), False), (2, "teller_a", Decimal("88.50"), False), (2, "leader_a", Decimal("88.50"), False),
        (4, "security_a", Decimal("0.00"), True),
    ]


def test_r_s6_the_board_shows_todays_and_this_months_daily_errors(team):
    b = selectors.board(team.hall_a)
    assert b.errors_today == 2
    assert [(e.name, e.today, e.month) for e in b.errors] == [("teller_a", 2, 3), ("guide_a", 0, 1)]


def test_r_s6_the_board_shows_titles_notes_and_nothing_of_another_hall(team):
    b = selectors.board(team.hall_a)
    assert [(a.title.code, a.person.username) for a in b.awards] == [("installation_expert", "teller_a")]
    assert [n.title for n in b.notes] == ["电价政策学习"]
    other = selectors.board(team.hall_b)
    assert [r.name for r in other.ranking] == ["teller_b"] and not other.awards and not other.notes and not other.errors


def test_r_s6_the_friday_team_meeting_is_an_onsite_meeting_shown_on_the_board(org):
    leader = org.user("leader_a")
    with time_machine.travel(START_OF_MONTH, tick=False), pytest.raises(DomainError) as refused:
        onsite_services.open_meeting(hall=org.hall_a, kind=Meeting.Kind.WEEKLY, by=leader)
    assert refused.value.code == "not_friday"
    with time_machine.travel(FRIDAY_AFTERNOON, tick=False):
        meeting = onsite_services.open_meeting(hall=org.hall_a, kind=Meeting.Kind.WEEKLY, by=leader)
        assert selectors.board(org.hall_a).weekly is None, "not held until closed with its record"
        onsite_services.finish_meeting(meeting=meeting, by=leader, summary="本周差错 3 次，集中在资料审核", notices="下周开展电价政策学习")
        b = selectors.board(org.hall_a)
    assert b.weekly.pk == meeting.pk and "资料审核" in b.weekly.summary
    assert LiveEvent.objects.filter(hall_id=org.hall_a.pk, kind="meeting_finished").exists()


def test_r_s6_the_study_corner_takes_short_notes_and_http_links_only(org, clock):
    leader = org.user("leader_a")
    with pytest.raises(DomainError):
        services.post_note(hall=org.hall_a, by=leader, title="x", link="javascript:alert(1)")
    with pytest.raises(DomainError):
        services.post_note(hall=org.hall_a, by=leader, title="")
    note = services.post_note(hall=org.hall_a, by=leader, title="十项承诺", body="抢修到达时限")
    services.remove_note(note, by=leader)
    assert not selectors.board(org.hall_a).notes
