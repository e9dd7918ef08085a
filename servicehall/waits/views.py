"""The hall leader's forecast page (the predictor's accuracy, hourly staffing advice) and the
customer's "text me when I am close" form on the ticket's phone page."""
import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core import policy
from servicehall.core.errors import DomainError
from servicehall.org.models import Hall
from servicehall.org.tenancy import require_hall
from servicehall.queueing import selectors as queue_selectors
from servicehall.queueing.page_selectors import ticket_by_token

from . import selectors, services


def _hall(request) -> Hall:
    if request.GET.get("hall"):
        return Hall.objects.get(pk=require_hall(request.user, request.GET["hall"]))
    if not request.hall:
        raise Http404
    return request.hall


def _day(request, hall) -> dt.date:
    raw = request.GET.get("day")
    if not raw:
        return hall.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise DomainError(_("日期格式不正确。")) from None


@policy.page("waits.forecast")
def forecast(request):
    hall = _hall(request)
    day = _day(request, hall)
    accuracy = selectors.accuracy(hall)
    advice = selectors.staffing_advice(hall, day=day)
    chart = {
        "days": [d["day"].isoformat() for d in accuracy["days"]],
        "mae": [round(d["mae_seconds"] / 60, 1) for d in accuracy["days"]],
        "les": [round(d["les_mae_seconds"] / 60, 1) for d in accuracy["days"]],
        "coverage": [round(d["coverage"] * 100, 1) for d in accuracy["days"]],
        "hours": [f"{h.hour:02d}:00" for h in advice["hours"]],
        "arrivals": [h.forecast_arrivals for h in advice["hours"]],
        "needed": [h.counters_needed for h in advice["hours"]],
    }
    return render(request, "waits/forecast.html", {
        "hall": hall, "day": day, "accuracy": accuracy, "advice": advice, "model": selectors.current_model(hall), "chart": chart,
        "prev_day": day - dt.timedelta(days=1), "next_day": day + dt.timedelta(days=1),
    })


@require_POST
def watch(request, token):
    """The customer's phone page: leave a number for an SMS when three people are ahead (R-N1)."""
    ticket = ticket_by_token(token)
    if ticket is None:
        raise Http404
    ticket = queue_selectors.follow_transfers(ticket)
    services.watch_ticket(ticket=ticket, phone=request.POST.get("phone", "")[:40])
    messages.success(request, _("已登记，前方剩 3 人时将短信提醒您。"))
    return HttpResponseRedirect(reverse("queueing:public_ticket", args=[token]))
