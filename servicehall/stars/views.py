"""Pages of star service (R-A3), mounted at /stars/: a hall's star levels with the formula stated, a person's
review, the company's formula, one's own levels, and the customer's flower from the phone page and the pad."""
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from servicehall.core import live, policy
from servicehall.core.errors import Conflict, DomainError
from servicehall.org.callers import device_page, page_caller
from servicehall.org.devices import request_device
from servicehall.org.models import Counter, Device
from servicehall.org.tenancy import hall_ids_for_actor
from servicehall.queueing import page_selectors as queue_pages

from . import scoring, selectors, services


def _quarter(request):
    return selectors.parse_quarter(request.GET.get("quarter") or request.POST.get("quarter"), today=timezone.localdate())


@policy.page("stars.read")
def hall(request):
    hall = page_caller(request).hall
    quarter = _quarter(request)
    formula = selectors.formula_for(hall.region.company_id)
    return render(request, "stars/hall.html", {
        "hall": hall, "quarter": quarter, "rows": selectors.hall_reviews(hall, quarter),
        "formula": scoring.snapshot(formula) if formula else None,
        "can_review": policy.may(request.user, "stars.review", hall), "can_formula": policy.may(request.user, "stars.formula"),
    })


@policy.page("stars.review")
def review(request, person_id):
    hall, person = selectors.person_in_scope_or_404(request.user, person_id, hall_id=request.GET.get("hall") or request.POST.get("hall"))
    quarter, error = _quarter(request), None
    if request.method == "POST":
        try:
            services.record_review(person=person, hall=hall, quarter=quarter, self_score=request.POST.get("self_score"),
                                   peer_score=request.POST.get("peer_score"), leader_score=request.POST.get("leader_score"),
                                   bonus=request.POST.get("bonus") or 0, bonus_reason=request.POST.get("bonus_reason", ""), by=request.user)
            return HttpResponseRedirect(reverse("stars:hall") + f"?hall={hall.pk}&quarter={quarter:%Y-%m}")
        except DomainError as exc:
            error = exc
    return _review_page(request, hall, person, quarter, error=error, values=request.POST if error else None)


@policy.page("stars.review")
@require_POST
def photo_upload(request, person_id):
    hall, person = selectors.person_in_scope_or_404(request.user, person_id, hall_id=request.POST.get("hall"))
    try:
        services.set_photo(person=person, hall=hall, upload=request.FILES.get("photo"), by=request.user)
    except DomainError as exc:
        return _review_page(request, hall, person, _quarter(request), photo_error=exc)
    return HttpResponseRedirect(reverse("stars:review", args=[person.pk]) + f"?hall={hall.pk}&quarter={_quarter(request):%Y-%m}")


def _review_page(request, hall, person, quarter, *, error=None, values=None, photo_error=None):
    formula = selectors.formula_for(hall.region.company_id)
    failed = error or photo_error
    return render(request, "stars/review.html", {
        "hall": hall, "person": person, "quarter": quarter, "review": selectors.review_of(person, quarter), "error": error,
        "photo_error": photo_error, "formula": scoring.snapshot(formula) if formula else None, "values": values,
        "inputs": selectors.customer_inputs(person, hall, quarter), "face": selectors.faces([person.pk])[person.pk],
        "photo_accept": services.PHOTO.accept,
    }, status=failed.status if failed else 200)


@never_cache
def photo(request, person_id):
    """A person's photo, for staff whose scope covers one of the person's halls and the pads and boards of those halls."""
    device = request_device(request)
    user = request.user if request.user.is_authenticated else None
    actor = device if device is not None and device.kind in policy.get("stars.photo").devices else user
    if actor is None:
        raise Http404
    policy.require(actor, "stars.photo")
    found = selectors.photo_for(person_id, hall_ids=hall_ids_for_actor(actor))
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), content_type=found.content_type)


def notice(request):
    """The hall's star service notice (服务公示): every starred person with photo, number and star level."""
    caller = page_caller(request, device_kinds=policy.get("stars.notice").devices)
    if caller is None:
        return redirect_to_login(request.get_full_path())
    policy.require(caller.actor, "stars.notice", caller.hall)
    people = [row["person"] for row in selectors.hall_reviews(caller.hall, selectors.quarter_of(timezone.localdate()))]
    return render(request, "stars/notice.html", {"hall": caller.hall, "people": people,
                                                 "faces": selectors.faces([p.pk for p in people])})


@policy.page("stars.formula")
def formula(request):
    hall = page_caller(request).hall
    company = hall.region.company
    error = None
    if request.method == "POST":
        try:
            services.set_formula(company=company, values=request.POST, by=request.user)
            return HttpResponseRedirect(reverse("stars:formula") + f"?hall={hall.pk}")
        except DomainError as exc:
            error = exc
    current = selectors.formula_for(company.pk)
    fields = selectors.formula_fields(current, posted=request.POST if error else None)
    return render(request, "stars/formula.html", {"hall": hall, "company": company, "current": current, "fields": fields, "error": error},
                  status=error.status if error else 200)


@policy.page("stars.mine")
def mine(request):
    return render(request, "stars/mine.html", {"reviews": selectors.my_reviews(request.user)})


@require_POST
@never_cache
def flower_public(request, token):
    """The flower button of the customer's phone page (the ticket's secret token is the key, no sign-in)."""
    try:
        services.give_flower_by_token(token=token)
        messages.success(request, _("鲜花已送出，感谢您对我们工作的肯定！"))
    except Conflict as exc:
        messages.warning(request, exc.message)
    return HttpResponseRedirect(reverse("queueing:public_ticket", args=[token]))


@require_POST
@never_cache
def pad_flower(request):
    """The flower button of the evaluation pad: the pad's own counter (staff setting a pad up name one of the hall's)."""
    caller = page_caller(request, device_kinds={Device.Kind.PAD})
    if caller is None:
        raise Http404
    counter = caller.device.counter if caller.device is not None and caller.device.counter_id else (
        Counter.objects.filter(pk=_int(request.POST.get("counter")), hall=caller.hall).first())
    if counter is None:
        raise Http404
    services.give_flower_at_counter(counter=counter, service_id=_int(request.POST.get("service")), device=caller.device, by=caller.user)
    return render(request, "stars/_pad_flower.html", {"given": True, "counter": counter})


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError(_("请求参数不正确。")) from None


# Device pages guard themselves (a device never signs in); tagged for the role table like queueing's device pages.
photo.policy_action = "stars.photo"
notice.policy_action = "stars.notice"
pad_flower.policy_action = "stars.flower_at_counter"


# --- the counter's customer-facing screen (R-Q12) ---------------------------------------------------------

def _screen_counter(request):
    """The screen's own counter; staff setting a screen up choose one of the hall's (`?counter=`)."""
    acc = request.caller
    if acc.device is not None and acc.device.counter_id:
        return acc.device.counter
    if not request.GET.get("counter"):
        return None
    counter = Counter.objects.filter(pk=_int(request.GET.get("counter")), hall=acc.hall, is_active=True).first()
    if counter is None:
        raise Http404
    policy.require(acc.actor, "stars.counter_screen", counter)
    return counter


# Events of the counter that change who is at the desk: the screen re-reads its panel on them.
SCREEN_KINDS = "ticket_called,ticket_recalled,ticket_no_show,ticket_transferred,service_started,service_finished,counter_opened,counter_closed"


@device_page("stars.counter_screen")
def screen(request):
    counter = _screen_counter(request)
    if counter is None:
        hall = request.caller.hall
        return render(request, "stars/screen_choose.html", {"hall": hall, "counters": queue_pages.counters_of(hall)})
    after = live.latest_event_id()  # before the state is read: an event committed in between is replayed
    return render(request, "stars/screen.html", {
        **selectors.screen_state(counter), "hall": counter.hall, "live_after": after, "live_kinds": SCREEN_KINDS,
        "events_url": f"{reverse('queueing:events')}?hall={counter.hall_id}&topics=queue",
    })


@device_page("stars.counter_screen")
def screen_panel(request):
    counter = _screen_counter(request)
    if counter is None:
        raise Http404
    return render(request, "stars/_screen.html", selectors.screen_state(counter))
