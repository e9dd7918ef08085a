"""Writes of the emergencies domain: raise an incident (by staff or by a hook), the escalation sweep that
notifies each level on time, acknowledge, escalate, close.

Clock: every time here is `timezone.now()` of the process that writes (web or worker), passed down as `now`,
never the database's `now()`. The due times are stored when the incident opens and compared by the sweep with
the `now` it is given, so one clock decides both; the hosts keep it with NTP. Mixing in the database clock
would compare two clocks (and tests could not freeze it: time-machine moves the Python clock only).

Escalation (R-E2, 分级负责 逐级上报): when an incident opens, its ladder (people per level, from the contact
network) is copied onto it and one step per level is scheduled — level 1 at once, level 2 five minutes later,
level 3 five minutes after that. The worker's sweep claims each due step with `core.deadlines.claim`
(conditional UPDATE on `notified_at`), so two workers, a restart or a worker that was down catch up without
losing or repeating a step; each person is notified through one `EscalationNotification` row, unique per
(incident, level, recipient). Acknowledging cancels the steps not yet sent (the climb stops); escalating
brings the next level's step forward to now.

Lock order, everywhere: the incident's steps, then the incident (the sweep's claim locks a step first)."""
import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, live, policy
from servicehall.core.deadlines import claim, register_sweep
from servicehall.core.errors import Conflict, DomainError
from servicehall.notices import services as notices
from servicehall.org import selectors as org_selectors
from servicehall.org.models import Hall

from . import selectors
from .models import LEVELS, Contact, EscalationNotification, EscalationStep, Incident, IncidentEvent, IncidentType, LadderEntry, Level
from .transitions import INCIDENT

log = logging.getLogger(__name__)
S = Incident.Status
E = IncidentEvent.Kind
TOPIC = "emergencies"
STEP = dt.timedelta(seconds=selectors.ESCALATION_SECONDS)

__all__ = ["raise_incident", "raise_from_source", "notify_due", "acknowledge", "escalate", "close", "complete_action",
           "add_contact", "remove_contact"]


def _publish(incident: Incident, kind: str, **extra):
    live.publish(hall_id=incident.hall_id, topic=TOPIC, kind=kind, payload={
        "incident": incident.pk, "type": incident.incident_type.name, "status": incident.status, "level": incident.level, **extra,
    })


def _copy_ladder(incident: Incident, hall) -> None:
    network = selectors.network_for(hall)
    LadderEntry.objects.bulk_create([
        LadderEntry(hall_id=incident.hall_id, incident=incident, level=level, person_id=c.person_id, name=str(c.person)[:60],
                    phone=c.person.phone, duty=c.duty, first_contact=c.first_contact, position=i)
        for level in LEVELS for i, c in enumerate(network[level])
    ])


def _schedule(incident: Incident, now) -> None:
    EscalationStep.objects.bulk_create([
        EscalationStep(hall_id=incident.hall_id, incident=incident, level=level,
                       notify_at=now + (level - 1) * STEP, due_at=now + level * STEP)
        for level in LEVELS
    ])


def raise_incident(*, hall, incident_type: IncidentType, by, detail: str = "", source=Incident.Source.STAFF,
                   source_key: str = "", now=None) -> Incident:
    """Open an incident of `hall` (R-E1) with the current version of its type's response plan (R-E4) and
    notify level 1 at once. With a `source_key` (a device, the hall's queue surge), an incident of that source
    still open is returned instead, with a `repeated` row on its timeline: one incident per source, not per repeat."""
    now = now or timezone.now()
    if by is not None:
        policy.require(by, "emergencies.raise", hall)
    if incident_type is None or not incident_type.is_active:
        raise DomainError(_("请选择事件类型。"), code="no_type", field="type")
    detail = (detail or "").strip()[:300]
    with transaction.atomic():
        if source_key:
            existing = Incident.objects.filter(hall=hall, source_key=source_key).exclude(status=S.CLOSED).first()
            if existing is not None:
                INCIDENT.record(existing, E.REPEATED, by, at=now, note=detail)
                return existing
        try:
            with transaction.atomic():
                incident = Incident.objects.create(
                    hall=hall, incident_type=incident_type, plan=selectors.current_plan(incident_type), source=source,
                    source_key=source_key, detail=detail, raised_by=by, raised_at=now,
                )
        except IntegrityError:  # the same source raised it meanwhile in another transaction
            existing = Incident.objects.get(hall=hall, source_key=source_key, status__in=[S.REPORTING, S.ACKNOWLEDGED])
            INCIDENT.record(existing, E.REPEATED, by, at=now, note=detail)
            return existing
        _copy_ladder(incident, hall)
        _schedule(incident, now)
        INCIDENT.record(incident, E.RAISED, by, at=now, note=detail, payload={
            "type": incident_type.code, "plan_version": incident.plan.version if incident.plan else None, "source": source})
        audit.record(actor=by, obj=incident, action="emergencies.raise", after={
            "type": incident_type.code, "source": source, "source_key": source_key, "plan": incident.plan_id})
        _publish(incident, "incident_raised")
        notify_due(now=now, incident=incident)  # level 1 now, through the same claim the sweep uses
    return incident


def raise_from_source(*, hall_id: int, type_code: str, source: str, source_key: str, detail: str, now=None) -> Incident | None:
    """An incident raised by the system (the queue surge alert, a device fault) through `core.hooks`; None when
    the type has been deactivated by an administrator."""
    incident_type = IncidentType.objects.filter(code=type_code, is_active=True).first()
    if incident_type is None:
        return None
    hall = Hall.objects.select_related("region").get(pk=hall_id)
    return raise_incident(hall=hall, incident_type=incident_type, by=None, detail=detail, source=source,
                          source_key=source_key, now=now)


# --- the escalation sweep ------------------------------------------------------------------------------

@register_sweep("emergencies.escalation")
def sweep_escalations(now=None) -> int:
    return len(notify_due(now=now or timezone.now()))


def notify_due(*, now, incident: Incident | None = None) -> list[int]:
    """Notify every level whose time has come (of one incident, or of all), oldest first, each step claimed
    with its notifications in one transaction. The claim's condition names only the step's own columns:
    acknowledging and closing cancel the steps not sent yet (their `notify_at` becomes empty)."""
    steps = EscalationStep.objects.all()
    if incident is not None:
        steps = steps.filter(incident=incident)
    return claim(steps, due_field="notify_at", marker_field="notified_at", now=now, act=lambda pk: _notify_step(pk, now))


def _notify_step(pk: int, now) -> None:
    step = EscalationStep.objects.get(pk=pk)
    incident = Incident.objects.select_for_update().select_related("hall", "incident_type").get(pk=step.incident_id)
    late = max(0, int((now - step.notify_at).total_seconds()))
    EscalationStep.objects.filter(pk=pk).update(late_seconds=late)
    if incident.level < step.level:
        Incident.objects.filter(pk=incident.pk).update(level=step.level)
        incident.level = step.level
    sent = []
    for entry in incident.ladder.filter(level=step.level).order_by("position"):
        try:
            with transaction.atomic():
                row = EscalationNotification.objects.create(hall_id=incident.hall_id, incident=incident, level=step.level,
                                                            recipient_id=entry.person_id, sent_at=now)
        except IntegrityError:
            continue  # this person was notified of this level already
        if entry.phone:
            row.notice = _text(incident, entry, step.level, now)
            if row.notice is not None:
                row.save(update_fields=["notice"])
        sent.append(entry.person_id)
    INCIDENT.record(incident, E.NOTIFIED, None, at=now, payload={"level": step.level, "recipients": sent, "late_seconds": late})
    _publish(incident, "incident_notified", notified_level=step.level, recipients=sent)


def _text(incident: Incident, entry: LadderEntry, level: int, now):
    params = {"hall": incident.hall.name, "incident": incident.incident_type.name, "level": str(Level(level).label),
              "detail": incident.detail}
    try:
        with transaction.atomic():
            return notices.send(kind="incident_escalation", to=entry.phone, params=params, hall=incident.hall_id, channel="sms",
                                key=f"incident:{incident.pk}:{level}:{entry.person_id}", now=now)
    except DomainError as exc:  # a wrong number in the network: the person still gets the live notice
        log.warning("incident %s level %s: no text message to person %s: %s", incident.pk, level, entry.person_id, exc.message)
        return None


# --- people's verbs ------------------------------------------------------------------------------------

def _lock(incident: Incident) -> Incident:
    list(EscalationStep.objects.select_for_update().filter(incident_id=incident.pk).order_by("level"))
    return Incident.objects.select_for_update().select_related("hall", "incident_type").get(pk=incident.pk)


def _cancel_pending(incident: Incident, now) -> None:
    incident.steps.filter(notified_at__isnull=True, notify_at__isnull=False).update(notify_at=None, cancelled_at=now)


def acknowledge(*, incident: Incident, by, now=None) -> Incident:
    """The person at the incident's current level has it in hand: the climb stops (R-E2)."""
    now = now or timezone.now()
    with transaction.atomic():
        incident = _lock(incident)
        level = incident.level
        INCIDENT.apply(incident, "acknowledge", by, at=now, payload={"level": level})
        incident.acknowledged_at, incident.acknowledged_by = now, by
        incident.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
        incident.steps.filter(level=level).update(acknowledged_at=now, acknowledged_by=by)
        _cancel_pending(incident, now)
        audit.record(actor=by, obj=incident, action="emergencies.acknowledge", after={"level": level})
        _publish(incident, "incident_acknowledged")
    return incident


def escalate(*, incident: Incident, by, note: str = "", now=None) -> Incident:
    """Hand the incident up one level now, whether or not this level acknowledged (R-E2: 需要时上报)."""
    now = now or timezone.now()
    with transaction.atomic():
        incident = _lock(incident)
        if incident.level >= Level.LEADERSHIP:
            INCIDENT.check(incident, "escalate", by)
            raise Conflict(_("已上报至最高层级。"), code="top_level")
        before, after = INCIDENT.move(incident, "escalate", by)
        target = incident.level + 1
        for level in range(target, Level.LEADERSHIP + 1):
            start = now + (level - target) * STEP
            incident.steps.filter(level=level, notified_at__isnull=True).update(notify_at=start, due_at=start + STEP, cancelled_at=None)
        incident.save(update_fields=["status"])
        INCIDENT.record(incident, E.ESCALATED, by, at=now, from_status=before, note=(note or "")[:500],
                        payload={"from_level": incident.level, "to_level": target})
        audit.record(actor=by, obj=incident, action="emergencies.escalate", after={"level": target})
        notify_due(now=now, incident=incident)
        incident.refresh_from_db()
    return incident


def close(*, incident: Incident, by, summary: str, now=None) -> Incident:
    """Close with the closure record (R-E2: 事后记录): what was done, with the whole timeline kept."""
    now = now or timezone.now()
    summary = (summary or "").strip()
    if not summary:
        raise DomainError(_("请填写处置结果。"), code="no_summary", field="summary")
    with transaction.atomic():
        incident = _lock(incident)
        INCIDENT.apply(incident, "close", by, at=now, note=summary[:2000])
        incident.closed_at, incident.closed_by, incident.closure_summary = now, by, summary[:4000]
        incident.save(update_fields=["status", "closed_at", "closed_by", "closure_summary"])
        _cancel_pending(incident, now)
        audit.record(actor=by, obj=incident, action="emergencies.close", after={"summary": summary[:200]})
        _publish(incident, "incident_closed")
    return incident


def complete_action(*, incident: Incident, by, index, now=None) -> IncidentEvent:
    """Tick one first action of the incident's plan as done (R-E4): who and when go on the timeline, once per
    action, only while the incident is open."""
    now = now or timezone.now()
    with transaction.atomic():
        incident = _lock(incident)
        policy.require(by, "emergencies.act", incident)
        actions = incident.plan.first_actions if incident.plan_id else []
        try:
            index = int(index)
        except (TypeError, ValueError):
            index = -1
        if not 0 <= index < len(actions):
            raise DomainError(_("预案中没有这一处置步骤。"), code="no_such_action", field="index")
        if incident.status == S.CLOSED:
            raise Conflict(_("事件已关闭，不能再勾选处置步骤。"), code="closed")
        if index in selectors.actions_done(incident):
            raise Conflict(_("该处置步骤已由他人勾选。"), code="already_done")
        event = INCIDENT.record(incident, E.ACTION_DONE, by, at=now, note=actions[index][:500], payload={"index": index})
        audit.record(actor=by, obj=incident, action="emergencies.action_done", after={"index": index})
        _publish(incident, "incident_action_done", index=index)
    return event


# --- the contact network ----------------------------------------------------------------------------------

def add_contact(*, hall, person_id, duty: str, first_contact: bool, by) -> Contact:
    """Put a member of the hall's staff on the hall's level of the network; the 服务专责 (first contact) is one
    person per hall, so naming a new one takes the mark from the old."""
    policy.require(by, "emergencies.network", hall)
    person = org_selectors.member_of(hall, person_id)
    if person is None:
        raise DomainError(_("请选择本营业厅的在岗人员。"), code="not_staff", field="person")
    with transaction.atomic():
        if Contact.objects.filter(level=Level.HALL, hall=hall, person=person).exists():
            raise Conflict(_("该人员已在联络网络中。"), code="already_listed")
        if first_contact:
            Contact.objects.filter(level=Level.HALL, hall=hall, first_contact=True).update(first_contact=False)
        order = Contact.objects.filter(level=Level.HALL, hall=hall).count()
        try:
            with transaction.atomic():
                contact = Contact.objects.create(level=Level.HALL, hall=hall, person=person, duty=(duty or "").strip()[:40],
                                                 first_contact=bool(first_contact), order=order)
        except IntegrityError:  # a colleague added the same person at the same moment
            raise Conflict(_("该人员已在联络网络中。"), code="already_listed") from None
        audit.record(actor=by, obj=contact, action="emergencies.contact_added",
                     after={"hall": hall.pk, "person": person.pk, "duty": contact.duty, "first_contact": contact.first_contact})
    return contact


def remove_contact(*, contact: Contact, by) -> None:
    """Take a person off the hall's level of the network (running incidents keep their copied ladder)."""
    policy.require(by, "emergencies.network", contact.hall)
    with transaction.atomic():
        audit.record(actor=by, obj=contact, action="emergencies.contact_removed",
                     before={"hall": contact.hall_id, "person": contact.person_id, "duty": contact.duty})
        contact.delete()
