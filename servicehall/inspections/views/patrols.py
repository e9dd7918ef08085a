"""Patrol pages (R-S2): today's slots, starting a patrol, explaining a missed one, the patrol clock."""
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from servicehall.core import hooks, policy
from servicehall.org.tenancy import get_visible_or_404, require_current_hall

from .. import selectors, services
from ..models import ChecklistTemplate, PatrolSlot


@policy.page("inspections.on_site")
def patrols(request):
    hall = require_current_hall(request)
    today = hall.today()
    ctx = {
        "hall": hall, "today": today, "now": timezone.now(),
        "slots": selectors.patrol_slots(hall, today),
        "history": selectors.patrol_history(hall, days=14, today=today),
        "settings": services.patrol_settings_for(hall),
        "can_patrol": policy.may(request.user, "inspections.patrol"),
        "can_explain": policy.may(request.user, "inspections.explain_missed_patrol"),
        # what other domains ask a patrol to look at (expired publicity, …), counted by the patrol; the note links
        # to its page only for who may open it (a teller on patrol reads the note, the leader follows it)
        "notes": [{**note, "url": note["url"] if note.get("action") and policy.may(request.user, note["action"]) else ""}
                  for note in hooks.emit("patrol.notes", hall=hall) if note],
    }
    return render(request, "inspections/patrols.html", ctx)


@policy.page("inspections.patrol")
@require_POST
def patrol_start(request, slot_id):
    slot = get_visible_or_404(PatrolSlot.objects.all(), request.user, pk=slot_id)
    inspection = services.start_patrol(slot=slot, by=request.user)
    return HttpResponseRedirect(reverse("inspections:inspection", args=[inspection.pk]))


@policy.page("inspections.patrol")
@require_POST
def patrol_start_today(request):
    """Start one of today's patrols that is still only planned (the sweep lays slots out every few seconds)."""
    inspection = services.start_todays_patrol(hall=require_current_hall(request), kind=request.POST.get("kind", ""), by=request.user)
    return HttpResponseRedirect(reverse("inspections:inspection", args=[inspection.pk]))


@policy.page("inspections.explain_missed_patrol")
@require_POST
def patrol_explain(request, slot_id):
    slot = get_visible_or_404(PatrolSlot.objects.all(), request.user, pk=slot_id)
    services.explain_missed_patrol(slot=slot, note=request.POST.get("note", ""), by=request.user)
    return HttpResponseRedirect(reverse("inspections:patrols"))


@policy.page("inspections.patrol_settings")
def patrol_settings(request):
    hall = require_current_hall(request)
    if request.method == "POST":
        fields = {k: request.POST.get(k, "") for k in ("before_opening_minutes", "peak_start", "peak_end", "before_closing_minutes", "meeting_minutes_before_opening")}
        for kind in ("opening", "peak", "closing"):
            code = request.POST.get(f"{kind}_template", "")
            fields[f"{kind}_template"] = ChecklistTemplate.objects.filter(pk=code).first() if code.isdigit() else None
        services.update_patrol_settings(hall=hall, by=request.user, **fields)
        return HttpResponseRedirect(reverse("inspections:patrols"))
    return render(request, "inspections/patrol_settings.html", {
        "hall": hall, "settings": services.patrol_settings_for(hall),
        "templates": [v.template for v in selectors.published_templates()],
    })
