"""What the emergencies app adds to the shell: the hand-offs that raise incidents (queue surge, device fault),
navigation, the home panel of open incidents, the incident's video span, demo data."""
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from servicehall.core import hooks, registry
from servicehall.org.tenancy import get_visible_or_404
from servicehall.video import spans
from servicehall.video.spans import MARGIN, SpanRequest

from . import selectors, services
from .models import Incident

registry.nav("emergencies", _l("应急事件"), "emergencies:list", action="emergencies.read", order=35, icon="urgent", group="onsite")


@hooks.on("queue.surge_opened")
def incident_from_surge(*, alert):
    """R-Q9 → R-E1: a surge alert raises the hall's queue-surge incident, inside the alert's transaction; while
    that incident is open a new alert adds to its timeline instead of raising another."""
    detail = _("排队激增预警：等候 %(waiting)s 人，最长等候 %(minutes)s 分钟") % {
        "waiting": alert.peak_waiting, "minutes": alert.peak_longest_wait_seconds // 60}
    return services.raise_from_source(hall_id=alert.hall_id, type_code="queue_surge", source=Incident.Source.QUEUE_SURGE,
                                      source_key="queue_surge", detail=detail, now=alert.opened_at)


@hooks.on("device.fault")
def incident_from_device_fault(*, hall_id, device, terminal, kind, reason, at):
    """A self-service terminal's fault (reported or a missed heartbeat) raises an equipment-failure incident;
    one per device while it is open."""
    detail = _("%(device)s：%(reason)s") % {"device": device.name, "reason": reason}
    return services.raise_from_source(hall_id=hall_id, type_code="equipment_failure", source=Incident.Source.DEVICE_FAULT,
                                      source_key=f"device:{device.pk}", detail=detail, now=at)


@registry.panel("emergencies", action="emergencies.follow", order=5)
def incidents_panel(request):
    incidents = selectors.panel_incidents(request.user)
    if not incidents:
        return None
    flagged = set(selectors.watchdog([i.pk for i in incidents]))
    return render_to_string("emergencies/_panel.html", {"incidents": incidents, "flagged": flagged}, request=request)


def _incident_span(user, pk) -> SpanRequest:
    """R-V1: an incident opens the hall's video from a little before it was raised until it closed (or now)."""
    incident = get_visible_or_404(Incident.objects.select_related("incident_type"), user, pk=pk)
    end = incident.closed_at or timezone.now()
    return SpanRequest(incident, incident.hall_id, incident.raised_at - 5 * MARGIN, end + MARGIN, None,
                       _("应急事件 #%(n)s %(type)s") % {"n": incident.pk, "type": incident.incident_type.name})


spans.register("incident", _incident_span)


@registry.demo_seeder("emergencies", after=("org", "queueing"))
def seed(ctx):
    from .demo import seed_emergencies

    seed_emergencies(ctx)
