"""Pages of standards, mounted at /standards/: the library (R-I5) — search on a phone, read a standard and its
earlier versions; administrators enter standards and publish new versions — and opening hours (R-S5): the
hall's requests, their approval, and whether the hours were kept. Views parse, call, render."""
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core import policy
from servicehall.core.dates import parse_month
from servicehall.core.errors import DomainError
from servicehall.core.figures import Period
from servicehall.core.forms import show_error
from servicehall.org.tenancy import require_current_hall

from . import selectors, services
from .forms import WEEKDAYS, HoursForm, RevisionForm, SearchForm, StandardForm
from .hours_kept import GRACE, TICKET_GAP, hours_kept
from .models import Category
from .transitions import HOURS

WEEKDAY_LABELS = dict(WEEKDAYS)

PAGE_SIZE = 20


@policy.page("standards.read")
def library(request):
    form = SearchForm(request.GET)
    filters = form.filters()
    page = Paginator(selectors.search(q=filters.get("q", ""), category=filters.get("category", "")), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "standards/library.html", {
        "form": form, "page": page, "q": filters.get("q", ""), "category": filters.get("category", ""),
        "categories": Category.choices, "can_write": policy.may(request.user, "standards.write"),
    })


@policy.page("standards.read")
def detail(request, standard_id):
    standard = selectors.standard_or_404(request.user, standard_id)
    shown = standard.current
    if request.GET.get("v"):
        shown = selectors.version_or_404(standard, request.GET["v"])
    return render(request, "standards/detail.html", {
        "standard": standard, "shown": shown, "versions": selectors.versions_of(standard),
        "can_write": policy.may(request.user, "standards.write"),
    })


def _save(request, form, template, context, write):
    if request.method == "POST" and form.is_valid():
        try:
            standard = write(form.cleaned_data)
            return HttpResponseRedirect(reverse("standards:detail", args=[standard.pk]))
        except DomainError as exc:
            show_error(form, exc)
    return render(request, template, {"form": form, **context}, status=400 if request.method == "POST" else 200)


@policy.page("standards.write")
def new(request):
    form = StandardForm(request.POST if request.method == "POST" else None)
    return _save(request, form, "standards/edit.html", {"standard": None},
                 lambda data: services.create_standard(by=request.user, **{k: data[k] for k in ("code", "category", "title", "body", "source")}))


@policy.page("standards.write")
def revise(request, standard_id):
    standard = selectors.standard_or_404(request.user, standard_id)
    current = standard.current
    form = RevisionForm(request.POST if request.method == "POST" else None,
                        initial={"title": current.title, "body": current.body, "source": current.source})
    return _save(request, form, "standards/edit.html", {"standard": standard},
                 lambda data: services.revise_standard(standard=standard, by=request.user, **data).standard)


# --- opening hours (R-S5) -------------------------------------------------------------------------------

@policy.page("standards.hours")
def hours(request):
    """The current hall's hours and its requests; its managers request new hours here; the approver sees
    every pending request of their halls."""
    hall = require_current_hall(request)
    weekly = selectors.weekly_hours(hall)
    form = HoursForm(request.POST or None, weekly=weekly)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.request_hours(hall=hall, by=request.user, weekly=form.cleaned_data["weekly"], reason=form.cleaned_data["reason"])
            return HttpResponseRedirect(reverse("standards:hours_request", args=[made.pk]))
        except DomainError as exc:
            if exc.status == 403:
                raise
            show_error(form, exc)
    return render(request, "standards/hours.html", {
        "hall": hall, "weekly": [(WEEKDAY_LABELS[d], o, c) for d, o, c in weekly], "form": form,
        "can_request": policy.may(request.user, "standards.request_hours", hall),
        "requests": selectors.hours_requests_for(request.user, hall=hall)[:20],
        "pending": selectors.hours_requests_for(request.user).filter(status="pending") if policy.may(request.user, "standards.approve_hours") else [],
    }, status=400 if request.method == "POST" else 200)


def _request_page(request, obj, *, error=None, status=200):
    return render(request, "standards/hours_request.html", {
        "req": obj, "requested": [(WEEKDAY_LABELS[d], o, c) for d, o, c in obj.rows()],
        "current": [(WEEKDAY_LABELS[d], o, c) for d, o, c in selectors.weekly_hours(obj.hall)],
        "buttons": HOURS.allowed(obj, request.user), "error": error,
    }, status=status)


@policy.page("standards.hours")
def hours_request(request, request_id):
    return _request_page(request, selectors.hours_request_or_404(request.user, request_id))


@policy.page("standards.hours")
@require_POST
def hours_decide(request, request_id):
    obj = selectors.hours_request_or_404(request.user, request_id)
    verb = {"approve": services.approve_hours, "refuse": services.refuse_hours}.get(request.POST.get("action"))
    try:
        if verb is None:
            raise DomainError(_("请选择批准或不批准。"), field="action")
        verb(request=obj, by=request.user, note=request.POST.get("note", "")[:500])
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        obj.refresh_from_db()
        return _request_page(request, obj, error=exc.message, status=exc.status)
    return HttpResponseRedirect(reverse("standards:hours_request", args=[obj.pk]))


@policy.page("standards.hours")
def hours_kept_page(request):
    hall = require_current_hall(request)
    month = parse_month(request.GET.get("month"), default=_first_of_month(hall.today()))
    days = hours_kept(hall, Period.month(month))
    return render(request, "standards/hours_kept.html", {
        "hall": hall, "month": month, "days": days, "flagged": sum(d.flagged for d in days),
        "grace": GRACE.seconds // 60, "ticket_gap": TICKET_GAP.seconds // 60,
    })


def _first_of_month(day):
    return day.replace(day=1)
