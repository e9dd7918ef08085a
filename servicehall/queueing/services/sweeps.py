"""The queue's deadline sweeps (run by `run_worker`): over-limit services, surges, tickets left at day end."""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from servicehall.core.deadlines import register_sweep
from servicehall.core.errors import Conflict
from servicehall.org.models import Hall

from ..models import CounterState, Service, Ticket
from ..transitions import TICKET
from ._shared import K, S, _payload_counter, _payload_ticket, _publish, _where
from .surge import check_hall_surge
from .tickets import cancel_ticket


@register_sweep("queue.over_limit")
def flag_over_limit(now=None) -> int:
    """Publish `over_limit` once per running service past its limit: each is claimed with a conditional
    UPDATE on `limit_flagged_at` in the same transaction as its event, so two workers never both act."""
    now = now or timezone.now()
    due = list(
        Service.objects.filter(finished_at__isnull=True, limit_flagged_at__isnull=True, limit_due_at__lte=now)
        .values_list("pk", flat=True)[:500]
    )
    flagged = 0
    for pk in due:
        with transaction.atomic():
            if not Service.objects.filter(pk=pk, finished_at__isnull=True, limit_flagged_at__isnull=True).update(limit_flagged_at=now):
                continue
            service = Service.objects.select_related("ticket__category", "counter", "teller").get(pk=pk)
            elapsed = int((now - service.started_at).total_seconds())
            TICKET.record(service.ticket, K.OVER_LIMIT, None, at=now, event_fields=_where(service.counter),
                          payload={"service": pk, "elapsed_seconds": elapsed, "time_limit_seconds": service.time_limit_seconds})
            _publish(service.hall_id, "over_limit", ticket=_payload_ticket(service.ticket, service.counter),
                     counter=_payload_counter(service.counter, CounterState.State.OPEN),
                     service={"id": pk, "elapsed_seconds": elapsed, "time_limit_seconds": service.time_limit_seconds,
                              "teller": str(service.teller)})
            flagged += 1
    return flagged


@register_sweep("queue.surge")
def check_surges(now=None) -> int:
    """Sweep every active hall for surges opening or closing."""
    now = now or timezone.now()
    acted = 0
    for hall in Hall.objects.filter(is_active=True):
        with transaction.atomic():
            acted += check_hall_surge(hall, now=now)
    return acted


@register_sweep("queue.day_end")
def close_stale_tickets(now=None) -> int:
    """Tickets of an earlier business day still waiting or called are cancelled (the customer has
    gone home), so tomorrow's queue starts empty; today's tickets survive any restart."""
    now = now or timezone.now()
    acted = 0
    candidates = Ticket.objects.filter(status__in=[S.WAITING, S.CALLED], business_day__lt=(now + dt.timedelta(days=1)).date())
    for hall_id in candidates.values_list("hall_id", flat=True).distinct():
        hall = Hall.objects.get(pk=hall_id)
        today = hall.today(now)
        for ticket in candidates.filter(hall_id=hall_id, business_day__lt=today).order_by("id")[:1000]:
            try:
                cancel_ticket(ticket=ticket, reason="day_end", now=now)
                acted += 1
            except Conflict:
                pass
    return acted
