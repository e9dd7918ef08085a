"""Security check pages (R-E3): the hall's checks this period with their state, starting one, the schedule
editor, and the missed checks over a supervisor's halls."""
import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from servicehall.core import policy
from servicehall.org.tenancy import require_current_hall

from .. import selectors, services
from ..models import Cadence

MISSED_DAYS = 31
PAGE_SIZE = 50


@policy.page("inspections.security_checks")
def security(request):
    hall = require_current_hall(request)
    today = hall.today()
    return render(request, "inspections/security.html", {
        "hall": hall, "today": today, "now": timezone.now(),
        "rows": selectors.security_checks(hall, today=today),
        "history": selectors.security_history(hall, today=today),
        "can_check": policy.may(request.user, "inspections.security_check", hall),
        "can_schedule": policy.may(request.user, "inspections.security_schedule", hall),
        "cadences": Cadence.choices,
    })


@policy.page("inspections.security_check")
@require_POST
def security_start(request):
    inspection = services.start_security_check(hall=require_current_hall(request), template_id=request.POST.get("template"), by=request.user)
    return HttpResponseRedirect(reverse("inspections:inspection", args=[inspection.pk]))


@policy.page("inspections.security_schedule")
@require_POST
def security_schedule(request):
    services.update_security_schedule(
        hall=require_current_hall(request), template_id=request.POST.get("template"), by=request.user,
        cadence=request.POST.get("cadence"), due_time=request.POST.get("due_time", ""), is_active=request.POST.get("is_active") == "1",
    )
    return HttpResponseRedirect(reverse("inspections:security"))


@policy.page("inspections.security_missed")
def security_missed(request):
    """Missed security checks still not done, over every hall of the reader's scope, by region and hall."""
    since = timezone.localdate() - dt.timedelta(days=MISSED_DAYS)
    rows = selectors.missed_security_checks(request.user, since=since)
    return render(request, "inspections/security_missed.html", {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "since": since, "days": MISSED_DAYS,
    })
