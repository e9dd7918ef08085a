"""Reads of the emergencies domain: plans, the contact network and its gaps, incidents in scope, the watchdog."""
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from servicehall.org.tenancy import visible

from .models import LEVELS, Contact, EscalationStep, Incident, IncidentEvent, IncidentType, Level, ResponsePlan

# *(design)* 分级负责,逐级上报: each level has 5 minutes to acknowledge before the next one is notified (R-E2)
ESCALATION_SECONDS = 5 * 60


def sweep_seconds() -> int:
    """The worker's sweep interval (run_worker --interval, 15 s by default): a step due longer ago than this
    and still not sent means the worker is down or behind — the watchdog's threshold."""
    return int(getattr(settings, "SERVICEHALL_SWEEP_SECONDS", 15))


def active_types():
    return IncidentType.objects.filter(is_active=True)


def current_plan(incident_type) -> ResponsePlan | None:
    """The latest version of a type's response plan: what a new incident is raised with."""
    return ResponsePlan.objects.filter(incident_type=incident_type).order_by("-version").first()


def _people(contacts):
    return [c for c in contacts if c.person.is_active]


def network_for(hall) -> dict[int, list[Contact]]:
    """The contact network that answers for `hall`, per level, the 服务专责 (first contact) first: the hall's
    own people (1), the emergency group of its nearest region that has one (2), its company's leadership (3)."""
    region = hall.region
    contacts = Contact.objects.select_related("person").order_by("level", "-first_contact", "order", "id")
    ladder = {Level.HALL: _people(contacts.filter(level=Level.HALL, hall=hall))}
    chain = [int(pk) for pk in region.path.strip("/").split("/")][::-1]  # the hall's region first, then upwards
    groups = {}
    for contact in contacts.filter(level=Level.REGION, region_id__in=chain):
        groups.setdefault(contact.region_id, []).append(contact)
    ladder[Level.REGION] = next((_people(groups[pk]) for pk in chain if _people(groups.get(pk, []))), [])
    ladder[Level.LEADERSHIP] = _people(contacts.filter(level=Level.LEADERSHIP, company_id=region.company_id))
    return ladder


def unreachable_levels(hall) -> list[int]:
    """Levels of the hall's network where nobody can be reached by phone: the network is not current."""
    network = network_for(hall)
    return [level for level in LEVELS if not any(c.person.phone for c in network[level])]


def incidents_in(user):
    return visible(Incident.objects.select_related("hall", "incident_type"), user)


def open_incidents(user):
    return incidents_in(user).exclude(status=Incident.Status.CLOSED)


def incidents_of_hall(user, hall, *, recent=20):
    """The hall's open incidents and its most recent closed ones."""
    mine = incidents_in(user).filter(hall=hall)
    return list(mine.exclude(status=Incident.Status.CLOSED)), list(mine.filter(status=Incident.Status.CLOSED)[:recent])


@dataclass(frozen=True)
class Flag:
    """A watchdog finding about one step: `unsent` (due and not sent: the worker is down or behind),
    `late` (sent more than one sweep interval after its time), `unanswered` (the last level's time ran out)."""

    incident_id: int
    level: int
    kind: str
    seconds: int


def watchdog(incident_ids, *, now: dt.datetime | None = None) -> dict[int, list[Flag]]:
    """Watchdog flags of the given incidents. Read from the rows at the time of asking, so it works when the
    worker itself is down (a flag kept by the worker would be missing exactly when it matters)."""
    now = now or timezone.now()
    grace = dt.timedelta(seconds=sweep_seconds())
    flags: dict[int, list[Flag]] = {}
    steps = EscalationStep.objects.filter(incident_id__in=list(incident_ids)).filter(
        Q(notified_at__isnull=True, notify_at__lt=now - grace) | Q(late_seconds__gt=grace.total_seconds())
        | Q(level=Level.LEADERSHIP, notified_at__isnull=False, acknowledged_at__isnull=True, due_at__lt=now,
            incident__status=Incident.Status.REPORTING)
    ).order_by("incident_id", "level")
    for step in steps:
        if step.notified_at is None:
            flag = Flag(step.incident_id, step.level, "unsent", int((now - step.notify_at).total_seconds()))
        elif step.late_seconds > grace.total_seconds():
            flag = Flag(step.incident_id, step.level, "late", step.late_seconds)
        else:
            flag = Flag(step.incident_id, step.level, "unanswered", int((now - step.due_at).total_seconds()))
        flags.setdefault(step.incident_id, []).append(flag)
    return flags


def steps_of(incident):
    return list(incident.steps.select_related("acknowledged_by").order_by("level"))


def ladder_of(incident) -> dict[int, list]:
    ladder = {level: [] for level in LEVELS}
    for entry in incident.ladder.order_by("level", "position"):
        ladder[entry.level].append(entry)
    return ladder


def actions_done(incident) -> dict[int, IncidentEvent]:
    """The first actions of the incident's plan already done: index in the plan → the event that ticked it."""
    events = incident.events.filter(kind=IncidentEvent.Kind.ACTION_DONE).select_related("by").order_by("at", "id")
    return {e.payload["index"]: e for e in events}


def first_actions(incident) -> list[tuple[int, str, "IncidentEvent | None"]]:
    """The plan's checklist as the incident page shows it: (index, action, the tick or None)."""
    done = actions_done(incident)
    return [(i, text, done.get(i)) for i, text in enumerate(incident.plan.first_actions if incident.plan else [])]


def hall_contacts(hall):
    """The hall's own level of the network, as kept on the network page (inactive people included, flagged)."""
    return list(Contact.objects.filter(level=Level.HALL, hall=hall).select_related("person").order_by("-first_contact", "order", "id"))


def timeline(incident):
    return list(incident.events.select_related("by").order_by("at", "id"))


def panel_incidents(user, *, limit=6):
    return list(open_incidents(user).order_by("-raised_at")[:limit])
