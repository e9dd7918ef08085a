"""Pages of emergencies (R-E1, R-E2, R-E4), mounted at /emergencies/: the hall's incidents with the two-tap
raise form, an incident with its plan, ladder and timeline, and the verbs; they parse, call and render."""
from asgiref.sync import sync_to_async
from django.http import HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from servicehall.core import live, policy, registry
from servicehall.core.errors import DomainError
from servicehall.org import selectors as org_selectors
from servicehall.org.tenancy import get_visible_or_404, require_current_hall, require_hall

from . import selectors, services
from .models import Contact, Incident, IncidentType, Level
from .transitions import INCIDENT


def _list(request, hall, *, error=None, status=200):
    open_incidents, closed = selectors.incidents_of_hall(request.user, hall)
    return render(request, "emergencies/list.html", {
        "hall": hall, "open_incidents": open_incidents, "closed": closed, "types": selectors.active_types(), "error": error,
        "flagged": set(selectors.watchdog([i.pk for i in open_incidents])),
        "gaps": selectors.unreachable_levels(hall) if policy.may(request.user, "emergencies.follow") else [],
    }, status=status)


@policy.page("emergencies.read")
def incident_list(request):
    """The hall's incidents; a POST raises one (two taps on a phone: the kind, then 立即上报)."""
    hall = require_current_hall(request)
    if request.method != "POST":
        return _list(request, hall)
    policy.require(request.user, "emergencies.raise")
    incident_type = IncidentType.objects.filter(code=request.POST.get("type") or "", is_active=True).first()
    try:
        incident = services.raise_incident(hall=hall, incident_type=incident_type, by=request.user, detail=request.POST.get("detail", ""))
    except DomainError as exc:
        if not exc.field:
            raise
        return _list(request, hall, error=exc.message, status=exc.status)
    return HttpResponseRedirect(reverse("emergencies:incident", args=[incident.pk]))


def _incident(request, incident_id, *, error=None, status=200):
    obj = get_visible_or_404(Incident.objects.select_related("hall", "incident_type", "plan", "raised_by", "acknowledged_by", "closed_by"),
                             request.user, pk=incident_id)
    ladder = selectors.ladder_of(obj)
    return render(request, "emergencies/incident.html", {
        "incident": obj, "plan": obj.plan, "rows": [(s, ladder[s.level]) for s in selectors.steps_of(obj)],
        "timeline": selectors.timeline(obj), "actions": {t.action for t in INCIDENT.allowed(obj, request.user)},
        "first_actions": selectors.first_actions(obj),
        "may_tick": obj.status != Incident.Status.CLOSED and policy.may(request.user, "emergencies.act", obj),
        "flags": selectors.watchdog([obj.pk]).get(obj.pk, []), "links": registry.links_for(request, obj), "error": error,
    }, status=status)


@policy.page("emergencies.read")
def incident(request, incident_id):
    return _incident(request, incident_id)


def _verb(request, incident_id, fn, **kwargs):
    obj = get_visible_or_404(Incident.objects.all(), request.user, pk=incident_id)
    try:
        fn(incident=obj, by=request.user, **kwargs)
    except DomainError as exc:
        if not exc.shown_on_page:
            raise
        return _incident(request, incident_id, error=exc.message, status=exc.status)
    return HttpResponseRedirect(reverse("emergencies:incident", args=[obj.pk]))


@policy.page("emergencies.acknowledge")
@require_POST
def acknowledge(request, incident_id):
    return _verb(request, incident_id, services.acknowledge)


@policy.page("emergencies.escalate")
@require_POST
def escalate(request, incident_id):
    return _verb(request, incident_id, services.escalate, note=request.POST.get("note", ""))


@policy.page("emergencies.close")
@require_POST
def close(request, incident_id):
    return _verb(request, incident_id, services.close, summary=request.POST.get("summary", ""))


@policy.page("emergencies.act")
@require_POST
def complete_action(request, incident_id, index):
    return _verb(request, incident_id, services.complete_action, index=index)


def _network(request, hall, *, error=None, status=200):
    network = selectors.network_for(hall)
    return render(request, "emergencies/network.html", {
        "hall": hall, "contacts": selectors.hall_contacts(hall), "error": error,
        "levels": [(Level(level).label, network[level]) for level in (Level.REGION, Level.LEADERSHIP)],
        "gaps": selectors.unreachable_levels(hall), "may_edit": policy.may(request.user, "emergencies.network", hall),
        "staff": org_selectors.staff_of(hall),
    }, status=status)


@policy.page("emergencies.read")
def network(request):
    """The contact network that answers for the current hall (R-E2): the hall's own people, kept here by who
    runs the hall, and the region's group and the company's leadership above it; a POST adds a person."""
    hall = require_current_hall(request)
    if request.method != "POST":
        return _network(request, hall)
    try:
        services.add_contact(hall=hall, person_id=request.POST.get("person"), duty=request.POST.get("duty", ""),
                             first_contact=request.POST.get("first_contact") == "on", by=request.user)
    except DomainError as exc:
        if not exc.shown_on_page:
            raise
        return _network(request, hall, error=exc.message, status=exc.status)
    return HttpResponseRedirect(reverse("emergencies:network"))


@policy.page("emergencies.network")
@require_POST
def remove_contact(request, contact_id):
    contact = get_visible_or_404(Contact.objects.filter(level=Level.HALL).select_related("hall"), request.user, pk=contact_id)
    services.remove_contact(contact=contact, by=request.user)
    return HttpResponseRedirect(reverse("emergencies:network"))


async def hall_events(request):
    """The emergencies topic of one hall in the signed-in person's scope: raised, notified, acknowledged, closed."""
    user = await request.auser()
    if not user.is_authenticated or not await sync_to_async(policy.may)(user, "emergencies.read"):
        return HttpResponseForbidden()
    hall_id = await sync_to_async(require_hall)(user, request.GET.get("hall"))
    return live.sse_response(live.stream(hall_id, after=live.resume_cursor(request), topics={services.TOPIC}))
