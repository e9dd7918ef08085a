"""Pages of recognition (R-A4 ballots and titles, R-S6 the team board), mounted at /recognition/: they parse,
call a service or a selector, and render."""
from asgiref.sync import sync_to_async
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core import dates, live, policy
from servicehall.core.errors import DomainError, NotFound
from servicehall.core.figures import Period
from servicehall.org.callers import device_page, stream_caller
from servicehall.org.models import Hall
from servicehall.org.selectors import staff_of
from servicehall.org.tenancy import require_current_hall, visible

from . import selectors, services
from . import star_halls as star_halls_module
from .transitions import BALLOTS


def _index(request, *, error=None, status=200):
    hall = require_current_hall(request)
    return render(request, "recognition/index.html", {
        "hall": hall, "ballots": selectors.ballots_of(hall), "elected": selectors.elected_titles(),
        "awarded": selectors.awarded_titles(), "awards": selectors.awards_of(hall, months=6), "notes": selectors.notes_of(hall),
        "staff": staff_of(hall), "error": error, "last_month": dates.previous_month(hall.today()),
        "can_run": policy.may(request.user, "recognition.run_ballot"), "can_award": policy.may(request.user, "recognition.award"),
        "can_study": policy.may(request.user, "recognition.study"),
    }, status=status)


@policy.page("recognition.board")
def index(request):
    return _index(request)


@device_page("recognition.show_board")
def board(request):
    after = live.latest_event_id()  # before the board is read, like every live page
    return render(request, "recognition/board.html", {"b": selectors.board(request.caller.hall), "after": after})


def _board_stream_caller(request):
    caller = stream_caller(request, request.GET.get("hall"))
    policy.require(caller.actor, "recognition.show_board", caller.hall)
    return caller


async def board_events(request):
    """The team board's live stream of one hall, for a person with the hall in scope or the hall's team-board
    TV: ballots, titles, the study corner (topic `recognition`), and daily errors and meetings (onsite's topic)."""
    caller = await sync_to_async(_board_stream_caller)(request)
    return live.sse_response(live.stream(caller.hall.pk, after=live.resume_cursor(request), topics={services.TOPIC, "inspections"}))


def _ballot(request, ballot_id, *, error=None, status=200):
    obj = selectors.ballot_or_404(request.user, ballot_id)
    voted, electorate = selectors.turnout(obj)
    may_vote = obj.status == "open" and request.user.pk in obj.electorate and policy.may(request.user, "recognition.vote", obj)
    return render(request, "recognition/ballot.html", {
        "ballot": obj, "voted": voted, "electorate": electorate, "tally": selectors.tally(obj, request.user),
        "has_voted": selectors.has_voted(obj, request.user), "may_vote": may_vote,
        "candidates": selectors.candidates_for(obj, request.user) if may_vote else [], "buttons": BALLOTS.allowed(obj, request.user),
        "events": obj.events.select_related("by"), "error": error,
    }, status=status)


@policy.page("recognition.board")
def ballot(request, ballot_id):
    return _ballot(request, ballot_id)


@policy.page("recognition.run_ballot")
@require_POST
def ballot_open(request):
    hall = require_current_hall(request)
    title = selectors.elected_titles().filter(pk=_int(request.POST.get("title"))).first()
    if title is None:
        return _index(request, error=_("请选择评选的称号。"), status=400)
    try:
        obj = services.open_ballot(hall=hall, title=title, by=request.user)
    except DomainError as exc:
        return _index(request, error=exc.message, status=exc.status)
    return HttpResponseRedirect(reverse("recognition:ballot", args=[obj.pk]))


@policy.page("recognition.vote")
@require_POST
def vote(request, ballot_id):
    obj = selectors.ballot_or_404(request.user, ballot_id)
    try:
        services.cast_vote(obj, by=request.user, candidate_id=request.POST.get("candidate"))
    except DomainError as exc:
        return _ballot(request, ballot_id, error=exc.message, status=exc.status)
    return HttpResponseRedirect(reverse("recognition:ballot", args=[obj.pk]))


@policy.page("recognition.run_ballot")
@require_POST
def ballot_action(request, ballot_id, action):
    obj = selectors.ballot_or_404(request.user, ballot_id)
    verbs = {"close": services.close_ballot, "publish": services.publish_ballot}
    if action not in verbs:
        raise NotFound()
    verbs[action](obj, by=request.user)
    return HttpResponseRedirect(reverse("recognition:ballot", args=[obj.pk]))


@policy.page("recognition.award")
@require_POST
def award(request):
    hall = require_current_hall(request)
    title = selectors.awarded_titles().filter(pk=_int(request.POST.get("title"))).first()
    try:
        if title is None:
            raise DomainError(_("请选择称号。"), field="title")
        today = hall.today()
        month = dates.sensible_day(dates.parse_month(request.POST.get("month"), dates.previous_month(today)), today=today, field="month")
        services.award_title(hall=hall, title=title, person_id=request.POST.get("person"), month=month, by=request.user,
                             note=request.POST.get("note", ""))
    except DomainError as exc:
        return _index(request, error=exc.message, status=exc.status)
    return HttpResponseRedirect(reverse("recognition:index"))


@policy.page("recognition.study")
@require_POST
def note_post(request):
    hall = require_current_hall(request)
    try:
        services.post_note(hall=hall, by=request.user, title=request.POST.get("title", ""), body=request.POST.get("body", ""),
                           link=request.POST.get("link", ""))
    except DomainError as exc:
        return _index(request, error=exc.message, status=exc.status)
    return HttpResponseRedirect(reverse("recognition:index"))


@policy.page("recognition.study")
@require_POST
def note_remove(request, note_id):
    services.remove_note(selectors.note_or_404(request.user, note_id), by=request.user)
    return HttpResponseRedirect(reverse("recognition:index"))


@policy.page("recognition.star_halls")
def star_halls(request):
    """The star level of every hall in the reader's scope (or one region of it) for a month, ranked, with each
    criterion's numerator and denominator and the rules."""
    halls = visible(Hall.objects.select_related("region"), request.user).order_by("code")
    regions = sorted({h.region for h in halls}, key=lambda r: r.path)
    region = next((r for r in regions if str(r.pk) == request.GET.get("region")), None)
    if region is not None:
        halls = halls.filter(region__path__startswith=region.path)
    today = timezone.localdate()
    month = dates.sensible_day(dates.parse_month(request.GET.get("month"), dates.previous_month(today)), today=today, field="month")
    return render(request, "recognition/star_halls.html", {
        "ratings": star_halls_module.rate_halls(halls, Period.month(month)), "regions": regions, "region": region, "month": month,
        "levels": selectors.star_levels(), "rating_rule": star_halls_module.RATING_RULE, "ranking_rule": star_halls_module.RANKING_RULE,
    })


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
