"""A hall's recorded days, read from the product's own tables into bench_wait's CSV rows, so the
predictor can be benchmarked on what really happened (`bench_wait --export HALL_CODE`, then `--csv`).

Tickets come from the ticket rows and their first service; counters opening and closing from the
audit log (queue.counter_open / queue.counter_close), pauses from the pause records (R-Q5)."""
import datetime as dt

from servicehall.core.models import AuditEntry
from servicehall.queueing.models import CounterPause, CounterState, Service, Ticket


def _seconds(moment, tz, day) -> float | str:
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    return round((local - dt.datetime.combine(day, dt.time.min, tzinfo=tz)).total_seconds(), 1)


def hall_days(hall, *, first: dt.date, last: dt.date) -> list[dict]:
    tz = hall.tz
    rows = []
    categories = {c.counter_id: "".join(sorted(c.prefixes)) for c in _counter_categories(hall)}
    services = {}
    for ticket_id, started, finished in (Service.objects.filter(hall_id=hall.pk, started_at__date__gte=first - dt.timedelta(days=1))
                                         .order_by("started_at").values_list("ticket_id", "started_at", "finished_at")):
        services.setdefault(ticket_id, (started, finished))
    tickets = (Ticket.objects.filter(hall_id=hall.pk, business_day__gte=first, business_day__lte=last)
               .select_related("category").order_by("issued_at", "id"))
    for t in tickets:
        day = t.business_day
        started, finished = services.get(t.pk, (None, None))
        original = t.transferred_from_id is None
        rows.append({
            "hall": hall.code, "day": day.isoformat(), "record": "ticket", "id": t.pk, "at": _seconds(t.issued_at, tz, day),
            "category": t.category.prefix, "priority": t.priority, "queue_at": _seconds(t.queue_at, tz, day),
            "counters_open": "", "called_at": _seconds(t.called_at, tz, day), "started_at": _seconds(started, tz, day),
            "finished_at": _seconds(finished, tz, day) if finished else "", "counter": t.counter_id or "",
            "transferred_from": t.transferred_from_id or "", "outcome": t.status,
            # the wait a ticket's estimate promises: from taking it to being called (as WaitPrediction records it)
            "wait_seconds": round((t.called_at - t.issued_at).total_seconds(), 1) if original and t.called_at else "",
        })
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    state_counter = dict(CounterState.objects.filter(hall_id=hall.pk).values_list("pk", "counter_id"))
    for action, object_id, at in (AuditEntry.objects.filter(hall_id=hall.pk, action__in=["queue.counter_open", "queue.counter_close"],
                                                            at__gte=start, at__lt=end).values_list("action", "object_id", "at")):
        counter = state_counter.get(int(object_id))
        if counter is not None:
            rows.append(_counter_row(hall, counter, "open" if action.endswith("open") else "close", at, categories))
    for counter, started, ended in CounterPause.objects.filter(hall_id=hall.pk, started_at__gte=start, started_at__lt=end).values_list(
            "counter_id", "started_at", "ended_at"):
        rows.append(_counter_row(hall, counter, "pause", started, categories))
        if ended:
            rows.append(_counter_row(hall, counter, "resume", ended, categories))
    return rows


def _counter_row(hall, counter, event, at, categories) -> dict:
    day = at.astimezone(hall.tz).date()
    return {"hall": hall.code, "day": day.isoformat(), "record": "counter", "at": _seconds(at, hall.tz, day), "counter": counter,
            "event": event, "categories": categories.get(counter, "")}


def _counter_categories(hall):
    from servicehall.org.models import Counter

    for counter in Counter.objects.filter(hall_id=hall.pk).prefetch_related("categories"):
        counter.counter_id = counter.pk
        counter.prefixes = [c.prefix for c in counter.categories.all()]
        yield counter
