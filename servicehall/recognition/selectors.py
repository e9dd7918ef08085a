"""Reads of recognition, within the reader's halls: ballots with their turnout and (once closed) their tally,
titles and their winners, the study corner, and the team board (R-S6), whose rankings, scores and daily
errors are read from the owning apps' selectors and figures, never recomputed here."""
import datetime as dt
from dataclasses import dataclass, field

from servicehall.assessment import selectors as assessment_selectors
from servicehall.core import policy
from servicehall.core.figures import Period
from servicehall.onsite import figures as onsite_figures
from servicehall.onsite import selectors as onsite_selectors
from servicehall.org.models import User
from servicehall.org.tenancy import get_visible_or_404

from .models import Award, Ballot, BallotStatus, Participation, StarLevel, StudyNote, Title, VoteCount


def active_titles():
    return Title.objects.filter(is_active=True)


def elected_titles():
    return active_titles().filter(elected=True)


def awarded_titles():
    return active_titles().filter(elected=False)


def star_levels():
    return StarLevel.objects.prefetch_related("criteria").order_by("stars")


def ballots_of(hall, *, limit=24):
    return Ballot.objects.filter(hall=hall).select_related("title").order_by("-month", "title__order")[:limit]


def ballot_or_404(user, ballot_id) -> Ballot:
    return get_visible_or_404(Ballot.objects.select_related("title", "hall"), user, pk=ballot_id)


def turnout(ballot) -> tuple[int, int]:
    """(members who voted, members of the electorate)."""
    return Participation.objects.filter(ballot=ballot).count(), len(ballot.electorate)


def has_voted(ballot, user) -> bool:
    return Participation.objects.filter(ballot=ballot, voter_id=user.pk).exists()


def candidates_for(ballot, user) -> list[User]:
    """Whom `user` may vote for: the electorate but themself."""
    return list(User.objects.filter(pk__in=[pk for pk in ballot.electorate if pk != user.pk]).order_by("employee_no", "pk"))


@dataclass(frozen=True)
class TallyRow:
    person: User
    votes: int
    rank: int


def tally(ballot, user) -> list[TallyRow] | None:
    """The count per candidate, best first — only once the ballot is closed, and before it is published only to
    those who run it. None when it may not be shown yet (nobody reads a ballot while people still vote)."""
    if ballot.status == BallotStatus.OPEN:
        return None
    if ballot.status == BallotStatus.CLOSED and not policy.may(user, "recognition.run_ballot", ballot):
        return None
    rows = list(VoteCount.objects.filter(ballot=ballot).select_related("candidate").order_by("-votes", "candidate__employee_no"))
    return [TallyRow(r.candidate, r.votes, rank) for r, rank in zip(rows, competition_ranks([r.votes for r in rows]), strict=True)]


def competition_ranks(values) -> list[int]:
    """Ranks of values already sorted best first, equal values sharing a rank (1, 1, 3): the board's rule."""
    ranks, previous = [], object()
    for i, value in enumerate(values):
        ranks.append(ranks[-1] if value == previous else i + 1)
        previous = value
    return ranks


def awards_of(hall, *, months=3):
    """The hall's titles of its last few months with winners, newest first."""
    recent = list(Award.objects.filter(hall=hall).order_by("-month").values_list("month", flat=True).distinct()[:months])
    return Award.objects.filter(hall=hall, month__in=recent).select_related("title", "person").order_by("-month", "title__order", "person__employee_no")


def notes_of(hall, *, limit=8):
    return StudyNote.objects.filter(hall=hall, removed_at__isnull=True).select_related("posted_by")[:limit]


def note_or_404(user, note_id) -> StudyNote:
    return get_visible_or_404(StudyNote.objects.all(), user, pk=note_id)


@dataclass(frozen=True)
class RankRow:
    rank: int
    name: str
    score: object
    vetoed: bool


@dataclass(frozen=True)
class ErrorRow:
    name: str
    today: int
    month: int


@dataclass
class Board:
    """What the team board (班务公开栏) shows of one hall on one business day."""

    hall: object
    day: dt.date
    score_month: object = None
    ranking: list[RankRow] = field(default_factory=list)
    errors: list[ErrorRow] = field(default_factory=list)
    errors_today: int = 0
    awards: list = field(default_factory=list)
    open_ballots: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    weekly: object = None


def board(hall, *, now=None) -> Board:
    """The team board of a hall: the ranking of the latest published monthly scores (assessment), today's and
    this month's daily errors per person (onsite figures), the titles with their winners, ballots under way,
    the study corner and the last Friday team meeting."""
    day = hall.today(now)
    month, scores = assessment_selectors.published_scores_of_hall(hall)
    ranks = competition_ranks([s.score for s in scores])
    today = onsite_figures.person_figures(hall, Period.day(day))
    this_month = onsite_figures.person_figures(hall, Period(day.replace(day=1), day))
    errors = [ErrorRow(p.name, today[uid].errors if uid in today else 0, p.errors) for uid, p in this_month.items() if p.errors]
    errors.sort(key=lambda r: (-r.today, -r.month, r.name))
    return Board(
        hall=hall, day=day, score_month=month,
        ranking=[RankRow(rank, s.person.display_name or s.person.username, s.score, s.vetoed) for s, rank in zip(scores, ranks, strict=True)],
        errors=errors, errors_today=sum(p.errors for p in today.values()),
        awards=list(awards_of(hall)), open_ballots=list(Ballot.objects.filter(hall=hall, status=BallotStatus.OPEN).select_related("title")),
        notes=list(notes_of(hall)), weekly=onsite_selectors.latest_weekly_meeting(hall),
    )
