"""Queue pages (R-Q1…R-Q9): kiosk, counter console, display board, evaluation pad, hall leader's live
view and the public ticket status page. Each page renders the current state, then follows the hall's
live stream (streams.py) and re-fetches its partial on every relevant event."""
import functools
import re
import shutil
import subprocess

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from servicehall.catalogue.models import BusinessType, ServiceCategory
from servicehall.core import hooks, live, policy
from servicehall.core.errors import DomainError
from servicehall.core.qr import qr_svg
from servicehall.org.callers import device_page, page_caller
from servicehall.org.models import Counter, Device
from servicehall.org.tenancy import get_visible_or_404

from . import page_selectors, selectors, services
from .models import SELF_DECLARED_PRIORITIES, CounterState, OverrunReason, PauseReason, PriorityReason, Rating, Service

# A customer declares these at the kiosk; green channel and VIP come with a grant code from the guide (R-Q2).
KIOSK_PRIORITIES = list(SELF_DECLARED_PRIORITIES)
ESPEAK = "/usr/bin/espeak-ng"


def _services():
    return services


def _hall_for_staff(request):
    """The hall of a staff page: `?hall=` within scope, else the current hall (the views require a sign-in)."""
    return page_caller(request).hall


def _live(hall, state, /, **extra) -> dict:
    """Context every live page needs: the stream, and the cursor taken BEFORE `state()` reads the page's
    state, so an event committed in between is replayed rather than lost (the arguments of a call are
    evaluated before it, hence the callable)."""
    after = live.latest_event_id()
    return {
        "hall": hall,
        "live_after": after,
        "events_url": f"{reverse('queueing:events')}?hall={hall.pk}&topics=queue",
        **state(),
        **extra,
    }


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError(_("请求参数不正确。")) from None


# --- kiosk (R-Q1) ------------------------------------------------------------------------------------

def _kiosk_ctx(acc):
    return _live(acc.hall, lambda: {"categories": page_selectors.kiosk_categories(acc.hall)}, device=acc.device,
                 priorities=[(p.value, p.label) for p in KIOSK_PRIORITIES])


@device_page("queue.take_ticket")
def kiosk(request):
    return render(request, "queueing/kiosk.html", _kiosk_ctx(request.caller))


@device_page("queue.take_ticket")
def kiosk_categories(request):
    return render(request, "queueing/_kiosk_categories.html", _kiosk_ctx(request.caller))


def _ticket_done(request, ticket):
    url = reverse("queueing:kiosk_ticket", args=[ticket.public_token])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


@require_POST
@device_page("queue.take_ticket")
def kiosk_take(request):
    acc = request.caller
    category = ServiceCategory.objects.filter(pk=_int(request.POST.get("category")), is_active=True).first()
    if category is None:
        raise DomainError(_("请选择有效的服务类别。"))
    priority = request.POST.get("priority") or PriorityReason.NONE
    if priority not in {PriorityReason.NONE, *KIOSK_PRIORITIES}:
        raise DomainError(_("优先类别无效。"))
    grant_code = request.POST.get("grant_code", "").strip()[:8] or None
    ticket = _services().take_ticket(hall=acc.hall, category=category, priority_reason=priority, grant_code=grant_code,
                                     by=acc.user, device=acc.device)
    return _ticket_done(request, ticket)


@require_POST
@device_page("queue.take_ticket")
def kiosk_checkin(request):
    acc = request.caller
    code = request.POST.get("code", "").strip().upper()[:12]
    if not code:
        raise DomainError(_("请输入预约码。"))
    ticket = _services().take_ticket(hall=acc.hall, category=None, appointment_code=code, by=acc.user, device=acc.device)
    return _ticket_done(request, ticket)


def public_url(ticket) -> str:
    return settings.SERVICEHALL_PUBLIC_URL.rstrip("/") + reverse("queueing:public_ticket", args=[ticket.public_token])


def _ticket_ctx(ticket):
    ticket = selectors.follow_transfers(ticket)
    no_counter = ticket.status == "waiting" and not selectors.open_counters_for(ticket.hall_id, ticket.category)
    return {"ticket": ticket, "ahead": selectors.people_ahead(ticket), "estimate": selectors.wait_estimate(ticket),
            "no_open_counter": no_counter}


@device_page("queue.take_ticket")
def kiosk_ticket(request, token):
    ticket = page_selectors.ticket_by_token(token)
    if ticket is None or ticket.hall_id != request.caller.hall.pk:
        raise Http404
    url = public_url(ticket)
    return render(request, "queueing/kiosk_ticket.html", {**_ticket_ctx(ticket), "hall": ticket.hall, "public_url": url,
                                                          "qr": qr_svg(url, scale=5), "autoprint": request.GET.get("print") == "1"})


# --- public status page (phone, no sign-in) -----------------------------------------------------------

def _public_ticket(token):
    ticket = page_selectors.ticket_by_token(token)
    if ticket is None:
        raise Http404
    return ticket


@never_cache
def public_ticket(request, token):
    after = live.latest_event_id()  # before the ticket is read, like every live page (see _live)
    ticket = _public_ticket(token)
    return render(request, "queueing/public_ticket.html", {
        **_ticket_ctx(ticket), "hall": ticket.hall, "live_after": after, "token": token,
        "events_url": reverse("queueing:ticket_events", args=[token]),
    })


@never_cache
def public_ticket_status(request, token):
    ticket = _public_ticket(token)
    return render(request, "queueing/_public_status.html", {**_ticket_ctx(ticket), "hall": ticket.hall})


# --- counter console (R-Q3, R-Q5, R-Q8) ------------------------------------------------------------

def _counter(request, counter_id) -> Counter:
    return get_visible_or_404(Counter.objects.select_related("hall"), request.user, pk=counter_id)


def _console_ctx(counter, request, **extra):
    state = selectors.console_state(counter, actor=request.user)
    types = page_selectors.business_types_for(counter) if state.can.get("finish") else []
    own = state.ticket.category_id if state.ticket else None
    ctx = {
        "cs": state, "counter": counter, "hall": counter.hall,
        "business_types": [b for b in types if b.category_id == own],
        "other_business_types": [b for b in types if b.category_id != own],
        "outcomes": Service.Outcome.choices, "overrun_reasons": OverrunReason.choices,
        "pause_reasons": PauseReason.choices,
        "categories": ServiceCategory.objects.filter(is_active=True).order_by("order", "prefix") if state.can.get("transfer") else [],
        "other_counters": page_selectors.counters_of(counter.hall, exclude=counter) if state.can.get("transfer") else [],
        # panels other apps show for the ticket at the counter (the guide desk's pre-filled application form)
        "ticket_panels": [p for p in hooks.emit("queue.console_panels", request=request, ticket=state.ticket) if p] if state.ticket else [],
        **extra,
    }
    return ctx


@policy.page("queue.operate_counter")
@never_cache
def console(request):
    hall = _hall_for_staff(request)
    if request.GET.get("counter"):
        counter = _counter(request, request.GET["counter"])
    elif request.GET.get("choose"):
        counter = None
    else:
        counter = page_selectors.teller_counter(request.user, hall)
    if counter is None:
        return render(request, "queueing/console_choose.html", {"hall": hall, "counters": page_selectors.hall_counters(hall)})
    return render(request, "queueing/console.html", _live(counter.hall, lambda: _console_ctx(counter, request), day=page_selectors.services_today(counter)))


@policy.page("queue.operate_counter")
@never_cache
def console_panel(request, counter_id):
    counter = _counter(request, counter_id)
    return render(request, "queueing/_console.html", _console_ctx(counter, request))


def _finish(counter, request):
    ids = [_int(v) for v in request.POST.getlist("business_types")]
    types = list(BusinessType.objects.filter(pk__in=ids, is_active=True))
    if len(types) != len(set(ids)):
        raise DomainError(_("业务类型无效。"))
    return _services().finish_service(
        counter=counter, by=request.user, business_types=types,
        outcome=request.POST.get("outcome") or "done",
        overrun_reason=request.POST.get("overrun_reason", ""), overrun_note=request.POST.get("overrun_note", "")[:200],
    )


def _transfer(counter, request):
    to_category = to_counter = None
    if request.POST.get("to_counter"):
        to_counter = Counter.objects.filter(hall_id=counter.hall_id, pk=_int(request.POST["to_counter"]), is_active=True).first()
        if to_counter is None:
            raise DomainError(_("目标窗口无效。"))
    elif request.POST.get("to_category"):
        to_category = ServiceCategory.objects.filter(pk=_int(request.POST["to_category"]), is_active=True).first()
        if to_category is None:
            raise DomainError(_("目标服务类别无效。"))
    else:
        raise DomainError(_("请选择转办的服务类别或窗口。"))
    return _services().transfer(counter=counter, by=request.user, to_category=to_category, to_counter=to_counter)


def _call_next(counter, request):
    ticket = _services().call_next(counter=counter, by=request.user)
    return _("已呼叫 %(code)s") % {"code": ticket.code} if ticket else _("当前没有等候的客户。")


CONSOLE_ACTIONS = {
    "open": lambda c, r: (_services().open_counter(counter=c, by=r.user), _("已签到开窗。"))[1],
    "close": lambda c, r: (_services().close_counter(counter=c, by=r.user), _("已签退关窗。"))[1],
    "call_next": _call_next,
    "recall": lambda c, r: _("已重呼 %(code)s") % {"code": _services().recall(counter=c, by=r.user).code},
    "no_show": lambda c, r: _("%(code)s 已标记过号。") % {"code": _services().mark_no_show(counter=c, by=r.user).code},
    "start": lambda c, r: (_services().start_service(counter=c, by=r.user), _("开始办理。"))[1],
    "finish": lambda c, r: (_finish(c, r), _("已办结，请邀请客户评价。"))[1],
    "transfer": lambda c, r: _("已转办 %(code)s") % {"code": _transfer(c, r).code},
    "pause": lambda c, r: (_services().pause_counter(counter=c, by=r.user, reason=r.POST.get("reason", "")), _("已暂停服务。"))[1],
    "resume": lambda c, r: (_services().resume_counter(counter=c, by=r.user), _("已恢复服务。"))[1],
}


@require_POST
@policy.page("queue.operate_counter")
def console_action(request, counter_id, action):
    counter = _counter(request, counter_id)
    handler = CONSOLE_ACTIONS.get(action)
    if handler is None:
        raise Http404
    message = handler(counter, request)
    if not request.htmx:
        return HttpResponseRedirect(f"{reverse('queueing:console')}?counter={counter.pk}")
    return render(request, "queueing/_console.html", _console_ctx(counter, request, flash=message))


# --- display board (R-Q6) ----------------------------------------------------------------------------

def _with_pause_labels(board):
    labels = dict(PauseReason.choices)
    for row in board["counters"]:
        row["pause_label"] = labels.get(row.get("pause_reason"), "")
    return board


def _board_ctx(hall):
    return {"board": _with_pause_labels(selectors.board_state(hall)), "hall": hall}


@device_page("queue.show_board")
def board(request):
    hall = request.caller.hall
    return render(request, "queueing/board.html", _live(hall, lambda: _board_ctx(hall), tts_server=shutil.which(ESPEAK) is not None))


@device_page("queue.show_board")
def board_panel(request):
    return render(request, "queueing/_board.html", _board_ctx(request.caller.hall))


_SAFE_TEXT = re.compile(r"^[\w\s，。、号到窗口办理请]{1,60}$")


@device_page("queue.show_board")
def announce_wav(request):
    """The announcement rendered by espeak-ng (Mandarin), for display PCs without a Chinese voice."""
    text = request.GET.get("text", "").strip()
    if not _SAFE_TEXT.match(text):
        raise DomainError(_("播报内容无效。"))
    if shutil.which(ESPEAK) is None:
        raise Http404
    wav = _render_wav(text)
    response = HttpResponse(wav, content_type="audio/wav")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@functools.lru_cache(maxsize=64)
def _render_wav(text: str) -> bytes:
    return subprocess.run([ESPEAK, "-v", "cmn", "-s", "150", "--stdout", text], capture_output=True, check=True, timeout=10).stdout


# --- evaluation pad (R-Q7) ---------------------------------------------------------------------------

def _pad_counter(request):
    """The pad's own counter; staff setting a pad screen up choose one of the hall's (`?counter=`)."""
    acc = request.caller
    if acc.device is not None and acc.device.counter_id:
        return acc.device.counter
    counter_id = request.GET.get("counter") or request.POST.get("counter")
    if not counter_id:
        return None
    counter = get_object_or_404(Counter, pk=_int(counter_id), hall=acc.hall)
    policy.require(acc.actor, "queue.rate_at_counter", counter)
    return counter


def _pad_ctx(counter, **extra):
    return {**page_selectors.pad_state(counter), "score_choices": Rating.Score.choices, "reason_choices": Rating.Reason.choices, **extra}


@device_page("queue.rate_at_counter")
def pad(request):
    counter = _pad_counter(request)
    hall = request.caller.hall
    if counter is None:
        return render(request, "queueing/pad_choose.html", {"hall": hall, "counters": page_selectors.counters_of(hall)})
    return render(request, "queueing/pad.html", _live(hall, lambda: _pad_ctx(counter)))


@device_page("queue.rate_at_counter")
def pad_panel(request):
    counter = _pad_counter(request)
    if counter is None:
        raise Http404
    return render(request, "queueing/_pad.html", _pad_ctx(counter))


@require_POST
@device_page("queue.rate_at_counter")
def pad_rate(request):
    acc = request.caller
    counter = _pad_counter(request)
    if counter is None:
        raise Http404
    score = request.POST.get("score", "")
    if score not in Rating.Score.values:
        raise DomainError(_("请选择评价。"))
    reasons = [r for r in request.POST.getlist("reasons") if r in Rating.Reason.values]
    _services().rate_at_counter(counter=counter, service_id=_int(request.POST.get("service")), score=score, reasons=reasons,
                                comment=request.POST.get("comment", "")[:500], device=acc.device, by=acc.user)
    return render(request, "queueing/_pad.html", _pad_ctx(counter, thanks=True))


# --- hall leader's live view (R-Q8, R-Q9) ------------------------------------------------------------

def _hall_live_ctx(hall):
    return {
        "hall": hall,
        "live": selectors.live_figures(hall),
        "board": _with_pause_labels(selectors.board_state(hall)),
        "longest_wait": page_selectors.longest_wait_seconds(hall),
        "over_limit": page_selectors.running_over_limit(hall),
        "surge": page_selectors.open_surge(hall),
        "counters": page_selectors.hall_counters(hall),
        "reasons": dict(PauseReason.choices),
        "states": dict(CounterState.State.choices),
    }


@policy.page("queue.hall_live")
@never_cache
def hall_live(request):
    hall = _hall_for_staff(request)
    return render(request, "queueing/hall_live.html", _live(hall, lambda: _hall_live_ctx(hall)))


@policy.page("queue.hall_live")
@never_cache
def hall_live_panel(request):
    return render(request, "queueing/_hall_live.html", _hall_live_ctx(_hall_for_staff(request)))


@policy.page("queue.devices")
def devices(request):
    """Links for a hall leader to open the hall's kiosk, board and pads on a screen they are signed in on."""
    hall = _hall_for_staff(request)
    registered = Device.objects.filter(hall=hall, is_active=True).select_related("counter").order_by("kind", "name")
    return render(request, "queueing/devices.html", {"hall": hall, "counters": page_selectors.counters_of(hall), "registered": registered})
