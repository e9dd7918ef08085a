"""Rectification task pages (R-I3): lists, the task, submit with evidence, verify, reject, reassign, photos."""
import datetime as dt

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core import policy
from servicehall.core.errors import DomainError
from servicehall.org.selectors import member_of, staff_of
from servicehall.org.tenancy import get_visible_or_404

from .. import selectors, services
from ..photos import ACCEPT
from ..transitions import TASK


@policy.page("inspections.tasks")
def tasks(request):
    qs = selectors.tasks_for(request.user).select_related("hall", "owner", "inspection__version__template")
    status = request.GET.get("status", "active")
    if status == "active":
        qs = qs.exclude(status="closed")
    elif status in ("open", "submitted", "closed"):
        qs = qs.filter(status=status)
    if request.GET.get("mine"):
        qs = qs.filter(owner=request.user)
    return render(request, "inspections/tasks.html", {"tasks": qs.order_by("status", "due_at", "-id")[:300], "status": status, "now": timezone.now()})


@policy.page("inspections.tasks")
def task(request, task_id):
    obj = get_visible_or_404(selectors.tasks_for(request.user).select_related("hall", "owner", "verified_by", "inspection__version__template", "answer__item"),
                             request.user, pk=task_id)
    actions = {t.action for t in TASK.allowed(obj, request.user)}
    return render(request, "inspections/task.html", {
        "task": obj, "events": obj.events.select_related("by"), "photos": obj.photos.all(), "accept": ACCEPT, "now": timezone.now(),
        "can_work": "submit" in actions, "can_verify": "verify" in actions, "can_reassign": "reassign" in actions,
        "staff": staff_of(obj.hall) if "reassign" in actions else [],
    })


def _task_for_write(request, task_id):
    return get_visible_or_404(selectors.tasks_for(request.user), request.user, pk=task_id)


@policy.page("inspections.tasks")
@require_POST
def task_submit(request, task_id):
    obj = _task_for_write(request, task_id)
    p = request.POST
    meeting_on = None
    if p.get("analysis_meeting_on"):
        try:
            meeting_on = dt.date.fromisoformat(p["analysis_meeting_on"])
        except ValueError:
            raise DomainError(_("日期格式应为 YYYY-MM-DD。"), field="analysis_meeting_on") from None
    services.submit_task(task=obj, by=request.user, evidence=p.get("evidence", ""), cause=p.get("cause"), person_dealt=p.get("person_dealt"),
                         measures=p.get("measures"), education=p.get("education"), analysis_meeting_on=meeting_on)
    return HttpResponseRedirect(reverse("inspections:task", args=[obj.pk]))


@policy.page("inspections.tasks")
@require_POST
def task_photo(request, task_id):
    obj = _task_for_write(request, task_id)
    services.attach_photo(upload=request.FILES.get("photo"), by=request.user, task=obj)
    return HttpResponseRedirect(reverse("inspections:task", args=[obj.pk]))


@policy.page("inspections.tasks")
@require_POST
def task_verify(request, task_id):
    obj = _task_for_write(request, task_id)
    services.verify_task(task=obj, by=request.user, note=request.POST.get("note", ""))
    return HttpResponseRedirect(reverse("inspections:task", args=[obj.pk]))


@policy.page("inspections.tasks")
@require_POST
def task_reject(request, task_id):
    obj = _task_for_write(request, task_id)
    services.reject_task(task=obj, by=request.user, note=request.POST.get("note", ""))
    return HttpResponseRedirect(reverse("inspections:task", args=[obj.pk]))


@policy.page("inspections.tasks")
@require_POST
def task_reassign(request, task_id):
    obj = _task_for_write(request, task_id)
    services.reassign_task(task=obj, owner=member_of(obj.hall, request.POST.get("owner")), by=request.user)
    return HttpResponseRedirect(reverse("inspections:task", args=[obj.pk]))
