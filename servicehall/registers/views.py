"""Pages of the hall registers (R-E3, R-S3), mounted at /registers/: phone-first forms to open and close a cash
box, ask for and decide access to the fee area, record the environment; desktop lists for the hall leader (the
day's registers, the month's missing days, the Excel export). They parse, call and render."""
import datetime as dt

from asgiref.sync import sync_to_async
from django.http import HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core import exports, live, policy
from servicehall.core.dates import parse_month, sensible_day
from servicehall.core.errors import DomainError
from servicehall.core.figures import Period
from servicehall.org import selectors as org_selectors
from servicehall.org.tenancy import get_visible_or_404, require_current_hall, require_hall

from . import figures, selectors, services
from .models import ITEMS, AccessRequest, CashBoxEntry, EnvironmentRecord, HygieneOwner
from .transitions import ACCESS


def _day(request, hall) -> dt.date:
    raw = request.GET.get("day")
    if not raw:
        return hall.today()
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise DomainError(_("日期格式不正确。"), code="bad_day") from None
    return sensible_day(day, today=hall.today())


@policy.page("registers.read")
def index(request):
    """The registers of the current hall: the three registers, and for who runs the hall what is flagged."""
    hall = require_current_hall(request)
    follow = policy.may(request.user, "registers.follow")
    return render(request, "registers/index.html", {"hall": hall, "flags": selectors.flags(request.user, hall) if follow else None})


# --- cash box ------------------------------------------------------------------------------------------

def _cashbox(request, hall, *, error=None, status=200):
    day = _day(request, hall)
    return render(request, "registers/cashbox.html", {
        "hall": hall, "day": day, "entries": selectors.cashbox_day(request.user, hall, day),
        "left_open": selectors.cashbox_left_open(request.user, hall),
        "error": error, "form": request.POST if error else {},
    }, status=status)


@policy.page("registers.read")
def cashbox(request):
    """The day's cash-box register; a POST by the cashier opens an entry."""
    hall = require_current_hall(request)
    if request.method != "POST":
        return _cashbox(request, hall)
    try:
        services.open_cashbox(hall=hall, box=request.POST.get("box", ""), amount=request.POST.get("amount", ""),
                              note=request.POST.get("note", ""), by=request.user)
    except DomainError as exc:
        if not exc.shown_on_page:
            raise
        return _cashbox(request, hall, error=exc.message, status=exc.status)
    return HttpResponseRedirect(reverse("registers:cashbox"))


@policy.page("registers.cashbox")
@require_POST
def cashbox_close(request, entry_id):
    entry = get_visible_or_404(CashBoxEntry.objects.all(), request.user, pk=entry_id)
    services.close_cashbox(entry=entry, by=request.user)
    return HttpResponseRedirect(reverse("registers:cashbox"))


@policy.page("registers.follow")
def cashbox_export(request):
    """The day's cash-box register and access register as Excel (typed text stays text: core.exports)."""
    hall = require_current_hall(request)
    day = _day(request, hall)
    wb = exports.workbook()
    ws = wb.active
    ws.title = _("钱箱登记")
    exports.fill_sheet(ws, [_("终端/钱箱"), _("金额（元）"), _("开箱人"), _("开箱时间"), _("关箱人"), _("关箱时间"), _("备注")], [
        [e.box, e.amount, str(e.opened_by), _local(e.opened_at, hall), str(e.closed_by or ""), _local(e.closed_at, hall), e.note]
        for e in selectors.cashbox_day(request.user, hall, day)
    ])
    exports.fill_sheet(wb.create_sheet(_("进入收费区登记")), [
        _("区域"), _("事由"), _("状态"), _("申请人"), _("申请时间"), _("审批人"), _("审批时间"), _("进入时间"), _("离开时间")], [
        [r.get_area_display(), r.reason, r.get_status_display(), str(r.requested_by), _local(r.requested_at, hall),
         str(r.decided_by or ""), _local(r.decided_at, hall), _local(r.entered_at, hall), _local(r.left_at, hall)]
        for r in selectors.access_register(request.user, hall, day)
    ])
    return exports.download(exports.workbook_bytes(wb), filename=f"registers-{hall.code}-{day.isoformat()}.xlsx")


def _local(moment, hall) -> str:
    return moment.astimezone(hall.tz).strftime("%Y-%m-%d %H:%M") if moment else ""


# --- access requests -------------------------------------------------------------------------------------

DECISIONS = ("approve", "refuse")  # the leader's buttons on a pending request (withdrawing is the requester's, under 我的申请)


def _access(request, hall, *, error=None, status=200):
    may_follow = policy.may(request.user, "registers.follow")
    return render(request, "registers/access.html", {
        "hall": hall, "areas": AccessRequest.Area.choices, "error": error, "form": request.POST if error else {},
        "pending": [(r, [t for t in ACCESS.allowed(r, request.user) if t.action in DECISIONS])
                    for r in selectors.pending_requests(request.user, hall)] if policy.may(request.user, "registers.access_decide") else [],
        "mine": [(r, ACCESS.allowed(r, request.user)) for r in selectors.my_requests(request.user, hall)],
        "register": selectors.access_register(request.user, hall, hall.today()) if may_follow else None,
    }, status=status)


@policy.page("registers.read")
def access(request):
    """Ask for access (phone), see one's own requests, and — the hall leader — decide the pending ones, live."""
    hall = require_current_hall(request)
    if request.method != "POST":
        return _access(request, hall)
    try:
        services.request_access(hall=hall, area=request.POST.get("area", ""), reason=request.POST.get("reason", ""), by=request.user)
    except DomainError as exc:
        if not exc.shown_on_page:
            raise
        return _access(request, hall, error=exc.message, status=exc.status)
    return HttpResponseRedirect(reverse("registers:access"))


@policy.page("registers.read")
def access_request(request, request_id):
    req = get_visible_or_404(AccessRequest.objects.select_related("requested_by", "decided_by"), request.user, pk=request_id)
    return render(request, "registers/request.html", {"req": req, "timeline": selectors.timeline(req),
                                                      "actions": ACCESS.allowed(req, request.user)})


def _step(request, request_id, verb, **kwargs):
    req = get_visible_or_404(AccessRequest.objects.all(), request.user, pk=request_id)
    verb(request=req, by=request.user, **kwargs)
    return HttpResponseRedirect(reverse("registers:access"))


@policy.page("registers.access_decide")
@require_POST
def approve(request, request_id):
    return _step(request, request_id, services.approve, note=request.POST.get("note", ""))


@policy.page("registers.access_decide")
@require_POST
def refuse(request, request_id):
    return _step(request, request_id, services.refuse, note=request.POST.get("note", ""))


@policy.page("registers.access_enter")
@require_POST
def enter(request, request_id):
    return _step(request, request_id, services.enter)


@policy.page("registers.access_enter")
@require_POST
def leave(request, request_id):
    return _step(request, request_id, services.leave)


@policy.page("registers.access_cancel")
@require_POST
def cancel(request, request_id):
    return _step(request, request_id, services.cancel)


async def hall_events(request):
    """The registers topic of one hall in the signed-in person's scope: requests made and decided."""
    user = await request.auser()
    if not user.is_authenticated or not await sync_to_async(policy.may)(user, "registers.read"):
        return HttpResponseForbidden()
    hall_id = await sync_to_async(require_hall)(user, request.GET.get("hall"))
    return live.sse_response(live.stream(hall_id, after=live.resume_cursor(request), topics={services.TOPIC}))


# --- environment ---------------------------------------------------------------------------------------

def _environment(request, hall, *, error=None, status=200):
    day = _day(request, hall)
    return render(request, "registers/environment.html", {
        "hall": hall, "day": day, "records": selectors.environment_day(request.user, hall, day),
        "owners": selectors.owners(request.user, hall), "kinds": [(k, label, ITEMS[k]) for k, label in EnvironmentRecord.Kind.choices],
        "error": error, "chosen": request.POST.get("kind") if error else None,
    }, status=status)


@policy.page("registers.read")
def environment(request):
    """The day's environment records; a POST records one (who and when are the signed-in person and now)."""
    hall = require_current_hall(request)
    if request.method != "POST":
        return _environment(request, hall)
    try:
        services.record_environment(hall=hall, kind=request.POST.get("kind", ""), items=request.POST.getlist("items"),
                                    note=request.POST.get("note", ""), by=request.user)
    except DomainError as exc:
        if not exc.shown_on_page:
            raise
        return _environment(request, hall, error=exc.message, status=exc.status)
    return HttpResponseRedirect(reverse("registers:environment"))


@policy.page("registers.follow")
def environment_month(request):
    """The leader's month: each day recorded, missing (an open day that ended without a cleaning record) or closed."""
    hall = require_current_hall(request)
    month = parse_month(request.GET.get("month"), default=hall.today().replace(day=1))
    sensible_day(month, today=hall.today(), field="month")
    period = Period.month(month)
    missing = set(selectors.missing_days(hall, month))
    recorded = selectors.recorded_days([hall.pk], period).get(hall.pk, set())
    calendar, today = hall.calendar(), hall.today()
    days = [(d, "recorded" if d in recorded else "missing" if d in missing else "closed" if not calendar.is_open_day(d)
             else "pending") for d in period.dates()]
    return render(request, "registers/month.html", {
        "hall": hall, "month": month, "days": days, "missing": sorted(missing), "today": today,
        "figures": figures.hall_figures([hall], period)[hall.pk],
    })


def _owners(request, hall, *, error=None, status=200):
    return render(request, "registers/owners.html", {
        "hall": hall, "owners": selectors.owners(request.user, hall), "staff": org_selectors.staff_of(hall), "error": error,
    }, status=status)


@policy.page("registers.owners")
def owners(request):
    """Hygiene owners per area, the 大堂经理 overall; a POST sets one."""
    hall = require_current_hall(request)
    if request.method != "POST":
        return _owners(request, hall)
    try:
        services.set_owner(hall=hall, area=request.POST.get("area", ""), person_id=request.POST.get("person"),
                           overall=request.POST.get("overall") == "1", by=request.user)
    except DomainError as exc:
        if not exc.shown_on_page:
            raise
        return _owners(request, hall, error=exc.message, status=exc.status)
    return HttpResponseRedirect(reverse("registers:owners"))


@policy.page("registers.owners")
@require_POST
def owner_remove(request, owner_id):
    services.remove_owner(owner=get_visible_or_404(HygieneOwner.objects.select_related("person"), request.user, pk=owner_id),
                          by=request.user)
    return HttpResponseRedirect(reverse("registers:owners"))
