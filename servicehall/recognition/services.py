"""Writes of recognition (R-A4, R-S6): the team's secret ballot (open, vote, close, publish), the titles
awarded by the hall's managers, and the study corner of the team board. Each verb owns its transaction,
checks the policy, writes an audit row and tells the team board (live topic `recognition`) after commit."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, live, policy
from servicehall.core.dates import previous_month
from servicehall.core.errors import Conflict, DomainError, Forbidden
from servicehall.org.selectors import holders_of, member_of
from servicehall.org.tenancy import require_scope

from .models import Award, Ballot, BallotEvent, BallotStatus, Participation, StudyNote, VoteCount
from .transitions import BALLOTS

TOPIC = "recognition"

audit.describe_actions({
    "recognition.ballot_open": _("开始民主评选"), "recognition.vote": _("参加民主评选投票"),
    "recognition.ballot_close": _("截止民主评选"), "recognition.ballot_publish": _("公布民主评选结果"),
    "recognition.award": _("授予荣誉称号"), "recognition.note_post": _("发布学习园地"),
    "recognition.note_remove": _("撤下学习园地"),
})


def _tell_board(hall_id: int, kind: str, **payload):
    live.publish(hall_id=hall_id, topic=TOPIC, kind=kind, payload={"hall_id": hall_id, **payload})


@transaction.atomic
def open_ballot(*, hall, title, by, now=None) -> Ballot:
    """Open the hall's ballot of an elected title for last month. The electorate (and the candidates) is the
    hall's roster now: those whose role takes part in the ballot."""
    policy.require(by, "recognition.run_ballot")
    require_scope(by, hall.pk)
    if not title.elected or not title.is_active:
        raise DomainError(_("该称号不是由班组民主选举产生的。"), field="title")
    now = now or timezone.now()
    electorate = sorted(holders_of("recognition.vote", hall=hall).values_list("pk", flat=True))
    if len(electorate) < 2:
        raise DomainError(_("班组成员不足两人，无法进行民主评选。"), code="electorate_too_small")
    month = previous_month(hall.today(now))  # 民主选举 at the start of a month elects for the month before
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(hall=hall, title=title, month=month, electorate=electorate, opened_at=now)
    except IntegrityError:
        raise Conflict(_("本厅%(month)s的「%(title)s」评选已经开始过。") % {"month": f"{month:%Y-%m}", "title": title.name},
                       code="ballot_exists") from None
    VoteCount.objects.bulk_create([VoteCount(hall_id=ballot.hall_id, ballot=ballot, candidate_id=pk) for pk in electorate])
    BALLOTS.record(ballot, BallotEvent.Kind.OPENED, by, at=now, payload={"electorate": len(electorate)})
    audit.record(actor=by, obj=ballot, action="recognition.ballot_open",
                 after={"title": title.code, "month": month, "electorate": len(electorate)})
    _tell_board(hall.pk, "ballot_opened", ballot=ballot.pk)
    return ballot


def _locked(ballot) -> Ballot:
    return Ballot.objects.select_for_update().select_related("title", "hall").get(pk=ballot.pk)


@transaction.atomic
def cast_vote(ballot, *, by, candidate_id) -> None:
    """One member's secret vote: that they voted goes to `Participation` (unique: a second vote is refused),
    the choice only adds one to the candidate's count; nothing records which voter gave which vote, and the
    audit row says only that the member voted."""
    policy.require(by, "recognition.vote")
    require_scope(by, ballot.hall_id)
    ballot = _locked(ballot)  # a vote and the close never interleave: no vote lands after the ballot closed
    if ballot.status != BallotStatus.OPEN:
        raise Conflict(_("投票已截止。"), code="ballot_closed")
    if by.pk not in ballot.electorate:
        raise Forbidden(_("您不在本次评选的选民名单中。"))
    try:
        candidate = int(candidate_id)
    except (TypeError, ValueError):
        raise DomainError(_("请选择一位候选人。"), field="candidate") from None
    if candidate == by.pk:
        raise DomainError(_("不能投票给自己。"), code="self_vote", field="candidate")
    if candidate not in ballot.electorate:
        raise DomainError(_("请选择一位候选人。"), field="candidate")
    try:
        with transaction.atomic():
            Participation.objects.create(hall_id=ballot.hall_id, ballot=ballot, voter=by)
    except IntegrityError:
        raise Conflict(_("您已经投过票了，每人只能投一票。"), code="already_voted") from None
    VoteCount.objects.filter(ballot=ballot, candidate_id=candidate).update(votes=F("votes") + 1)
    audit.record(actor=by, obj=ballot, action="recognition.vote", after={"voted": True})
    turnout = Participation.objects.filter(ballot=ballot).count()
    _tell_board(ballot.hall_id, "ballot_vote", ballot=ballot.pk, turnout=turnout)


@transaction.atomic
def close_ballot(ballot, *, by, now=None) -> Ballot:
    """No more votes. Every count row is rewritten in this transaction, so none still carries (in PostgreSQL's
    `xmin`) the transaction of the vote that last changed it, which was also the one that wrote its voter."""
    ballot = _locked(ballot)
    require_scope(by, ballot.hall_id)
    ballot.closed_at = now or timezone.now()
    BALLOTS.apply(ballot, "close", by, at=ballot.closed_at)
    ballot.save(update_fields=["status", "closed_at"])
    VoteCount.objects.filter(ballot=ballot).update(votes=F("votes"))
    voted = Participation.objects.filter(ballot=ballot).count()
    audit.record(actor=by, obj=ballot, action="recognition.ballot_close", after={"status": ballot.status, "voted": voted})
    _tell_board(ballot.hall_id, "ballot_closed", ballot=ballot.pk)
    return ballot


def winners(ballot) -> list[VoteCount]:
    """Whoever has the most votes (all of them on a tie; nobody if no vote was cast): the stated rule."""
    counts = list(VoteCount.objects.filter(ballot=ballot).order_by("-votes", "candidate_id"))
    top = counts[0].votes if counts else 0
    return [c for c in counts if top > 0 and c.votes == top]


@transaction.atomic
def publish_ballot(ballot, *, by, now=None) -> Ballot:
    """Publish the tally: the winners receive the title of the month and the team board shows them."""
    ballot = _locked(ballot)
    require_scope(by, ballot.hall_id)
    ballot.published_at = now or timezone.now()
    BALLOTS.apply(ballot, "publish", by, at=ballot.published_at)
    ballot.save(update_fields=["status", "published_at"])
    won = winners(ballot)
    Award.objects.bulk_create([
        Award(hall_id=ballot.hall_id, title=ballot.title, month=ballot.month, person_id=c.candidate_id, ballot=ballot,
              votes=c.votes, awarded_by=by if getattr(by, "pk", None) else None, awarded_at=ballot.published_at)
        for c in won
    ])
    audit.record(actor=by, obj=ballot, action="recognition.ballot_publish",
                 after={"winners": [c.candidate_id for c in won], "votes": won[0].votes if won else 0})
    _tell_board(ballot.hall_id, "ballot_published", ballot=ballot.pk)
    return ballot


@transaction.atomic
def award_title(*, hall, title, person_id, month: dt.date, by, note: str = "", now=None) -> Award:
    """Give a title that is not elected (放装达人, 新业务能手 …) to a member of the hall for a month."""
    policy.require(by, "recognition.award")
    require_scope(by, hall.pk)
    if title.elected:
        raise DomainError(_("该称号由班组民主选举产生，不能直接授予。"), field="title")
    if not title.is_active:
        raise DomainError(_("该称号已停用。"), field="title")
    person = member_of(hall, person_id)
    if person is None:
        raise DomainError(_("请选择本厅的员工。"), field="person")
    note = (note or "").strip()
    if len(note) > 300:
        raise DomainError(_("事迹不能超过 300 字。"), field="note")
    first = month.replace(day=1)
    if first > hall.today(now).replace(day=1):
        raise DomainError(_("不能授予未来月份的称号。"), field="month")
    try:
        with transaction.atomic():
            award = Award.objects.create(hall=hall, title=title, month=first, person=person, note=note,
                                         awarded_by=by if getattr(by, "pk", None) else None, awarded_at=now or timezone.now())
    except IntegrityError:
        raise Conflict(_("%(person)s 已获得%(month)s的「%(title)s」。") % {"person": person, "month": f"{first:%Y-%m}", "title": title.name},
                       code="award_exists") from None
    audit.record(actor=by, obj=award, action="recognition.award", after={"title": title.code, "month": first, "person": person.pk, "note": note})
    _tell_board(hall.pk, "award_given", award=award.pk)
    return award


def _valid_link(link: str) -> str:
    link = (link or "").strip()
    if not link:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        raise DomainError(_("链接须以 http:// 或 https:// 开头。"), field="link") from None
    if len(link) > 500:
        raise DomainError(_("链接过长。"), field="link")
    return link


@transaction.atomic
def post_note(*, hall, by, title: str, body: str = "", link: str = "", now=None) -> StudyNote:
    """A note or link for the study corner of the team board."""
    policy.require(by, "recognition.study")
    require_scope(by, hall.pk)
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError(_("请填写标题。"), field="title")
    if len(title) > 100:
        raise DomainError(_("标题不能超过 100 字。"), field="title")
    if len(body) > 1000:
        raise DomainError(_("内容不能超过 1000 字。"), field="body")
    note = StudyNote.objects.create(hall=hall, title=title, body=body, link=_valid_link(link), posted_by=by if getattr(by, "pk", None) else None,
                                    posted_at=now or timezone.now())
    audit.record(actor=by, obj=note, action="recognition.note_post", after=audit.snapshot(note, fields={"title", "body", "link"}))
    _tell_board(hall.pk, "note_posted", note=note.pk)
    return note


@transaction.atomic
def remove_note(note, *, by, now=None) -> StudyNote:
    policy.require(by, "recognition.study", note)
    note = StudyNote.objects.select_for_update().get(pk=note.pk)
    if note.removed_at is None:
        note.removed_at = now or timezone.now()
        note.save(update_fields=["removed_at"])
        audit.record(actor=by, obj=note, action="recognition.note_remove", after={"removed_at": note.removed_at})
        _tell_board(note.hall_id, "note_removed", note=note.pk)
    return note
