"""Queue surge (R-Q9): the alert that opens and closes with the queue, and the counters to open (Erlang C)."""
import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from servicehall.catalogue.models import ServiceCategory
from servicehall.core import audit, hooks
from servicehall.org.models import Counter

from .. import erlang, selectors
from ..models import CounterState, SurgeAlert, Ticket
from ..selectors import settings_for
from ._shared import S, _publish

SELF_SERVICE_SHARE = 0.5  # *(design)* recommend self-service when half the queue could use it


def surge_recommendation(hall, *, now, waiting: dict[str, int] | None = None, settings=None) -> dict:
    """Counters to open (Erlang C on the last hour's arrival rate and the recent mean service time,
    target: `surge_target_share` of customers served within `surge_target_wait_seconds`) and whether
    to divert customers to self-service (when most of the queue is business a self-service counter takes)."""
    settings = settings or settings_for(hall)
    waiting = waiting if waiting is not None else selectors.waiting_by_category(hall)
    arrivals = Ticket.objects.filter(hall_id=hall.pk, issued_at__gt=now - dt.timedelta(hours=1), issued_at__lte=now,
                                     transferred_from__isnull=True).count()
    rate = arrivals / 3600.0
    mean = selectors.mean_service_seconds(hall, now=now) or selectors.DEFAULT_SERVICE_SECONDS
    states = CounterState.objects.filter(hall_id=hall.pk, counter__is_active=True)
    open_now = states.filter(state=CounterState.State.OPEN).count()
    counters_total = Counter.objects.filter(hall_id=hall.pk, is_active=True).count()
    target, share = settings.surge_target_wait_seconds, float(settings.surge_target_share)
    needed = erlang.servers_needed(rate, mean, target_seconds=target, target_share=share, max_servers=max(counters_total * 4, 50))
    extra = max(0, needed - open_now)
    available = max(0, counters_total - open_now)
    self_prefixes = sorted(set(
        Counter.objects.filter(hall_id=hall.pk, kind=Counter.Kind.SELF, is_active=True).values_list("categories__prefix", flat=True)
    ) - {None}) or sorted(ServiceCategory.objects.filter(code="payment").values_list("prefix", flat=True))
    total_waiting = sum(waiting.values())
    self_waiting = sum(waiting.get(p, 0) for p in self_prefixes)
    self_share = self_waiting / total_waiting if total_waiting else 0.0
    traffic = rate * mean
    return {
        "arrivals_last_hour": arrivals,
        "arrival_rate_per_hour": round(rate * 3600, 1),
        "mean_service_seconds": round(mean),
        "offered_load_erlangs": round(traffic, 3),
        "open_counters": open_now,
        "counters_total": counters_total,
        "needed_counters": needed,
        "extra_counters": extra,
        "extra_counters_available": min(extra, available),
        "service_level_now": round(erlang.service_level(open_now, rate, mean, target), 4),
        "service_level_recommended": round(erlang.service_level(max(needed, open_now), rate, mean, target), 4),
        "wait_probability_now": round(erlang.erlang_c(open_now, traffic), 4) if open_now else 1.0,
        "target_wait_seconds": target,
        "target_share": share,
        "waiting": waiting,
        "self_service_categories": self_prefixes,
        "self_service_share": round(self_share, 4),
        "recommend_self_service": total_waiting > 0 and self_share >= SELF_SERVICE_SHARE,
    }


def _predicted_wait(hall, now) -> int | None:
    """R-Q9: the predicted wait of a customer arriving now, from the predictor that answers
    `queue.predicted_wait` (the waits app); None when none answers."""
    return max((w for w in hooks.emit("queue.predicted_wait", hall=hall, now=now) if w is not None), default=None)


def check_hall_surge(hall, *, now=None, predicted_wait_seconds: int | None = None) -> int:
    """Open one alert when a threshold is passed (waiting count, longest wait so far, or the predicted
    wait of a new arrival: given by take-ticket for its own ticket, else asked of the predictor); close
    it once every figure is below the close share of its threshold (hysteresis). Returns 1 when an
    alert was opened or closed."""
    now = now or timezone.now()
    settings = settings_for(hall)
    predicted = predicted_wait_seconds if predicted_wait_seconds is not None else _predicted_wait(hall, now)
    with connection.cursor() as cursor:  # one statement: waiting count, oldest queue time, open alert
        cursor.execute(
            f"SELECT COUNT(t.id), MIN(CASE WHEN t.queue_at <= %s THEN t.queue_at END), "
            f"(SELECT a.id FROM {SurgeAlert._meta.db_table} a WHERE a.hall_id = %s AND a.closed_at IS NULL) "
            f"FROM {Ticket._meta.db_table} t WHERE t.hall_id = %s AND t.status = %s",
            [connection.ops.adapt_datetimefield_value(now), hall.pk, hall.pk, S.WAITING],
        )
        waiting_n, oldest, alert_id = cursor.fetchone()
    waiting_n = waiting_n or 0
    if isinstance(oldest, str):  # SQLite hands back text from an expression
        oldest = dt.datetime.fromisoformat(oldest)
    if oldest is not None and timezone.is_naive(oldest):
        oldest = timezone.make_aware(oldest, dt.UTC)
    longest = max(0, int((now - oldest).total_seconds())) if oldest else 0
    alert = SurgeAlert.objects.get(pk=alert_id) if alert_id else None
    predicted_over = predicted is not None and predicted >= settings.surge_predicted_wait_seconds
    if alert is None:
        if waiting_n < settings.surge_waiting_threshold and longest < settings.surge_longest_wait_seconds and not predicted_over:
            return 0
        rec = surge_recommendation(hall, now=now, settings=settings)
        rec |= {"trigger_waiting": waiting_n, "trigger_longest_wait_seconds": longest, "trigger_predicted_wait_seconds": predicted,
                "threshold_waiting": settings.surge_waiting_threshold, "threshold_longest_wait_seconds": settings.surge_longest_wait_seconds,
                "threshold_predicted_wait_seconds": settings.surge_predicted_wait_seconds}
        try:
            with transaction.atomic():
                alert = SurgeAlert.objects.create(
                    hall_id=hall.pk, opened_at=now, peak_waiting=waiting_n, peak_longest_wait_seconds=longest,
                    recommended_extra_counters=rec["extra_counters"], recommend_self_service=rec["recommend_self_service"], detail=rec,
                )
        except IntegrityError:
            return 0  # another process opened this episode's alert
        audit.record(actor=None, obj=alert, action="queue.surge_open", after={"waiting": waiting_n, "longest": longest, "predicted": predicted})
        _publish(hall.pk, "surge_opened", alert=_payload_alert(alert))
        hooks.emit("queue.surge_opened", alert=alert)
        return 1
    if waiting_n > alert.peak_waiting or longest > alert.peak_longest_wait_seconds:
        SurgeAlert.objects.filter(pk=alert.pk).update(
            peak_waiting=max(waiting_n, alert.peak_waiting), peak_longest_wait_seconds=max(longest, alert.peak_longest_wait_seconds)
        )
    close = float(settings.surge_close_share)
    predicted_low = predicted is None or predicted < settings.surge_predicted_wait_seconds * close
    if waiting_n < settings.surge_waiting_threshold * close and longest < settings.surge_longest_wait_seconds * close and predicted_low:
        if SurgeAlert.objects.filter(pk=alert.pk, closed_at__isnull=True).update(closed_at=now):
            alert.refresh_from_db()
            audit.record(actor=None, obj=alert, action="queue.surge_close", after={"waiting": waiting_n, "longest": longest})
            _publish(hall.pk, "surge_closed", alert=_payload_alert(alert))
            hooks.emit("queue.surge_closed", alert=alert)
            return 1
    return 0


def _payload_alert(alert: SurgeAlert) -> dict:
    return {
        "id": alert.pk, "opened_at": alert.opened_at.isoformat(), "closed_at": alert.closed_at.isoformat() if alert.closed_at else None,
        "peak_waiting": alert.peak_waiting, "peak_longest_wait_seconds": alert.peak_longest_wait_seconds,
        "recommended_extra_counters": alert.recommended_extra_counters, "recommend_self_service": alert.recommend_self_service,
    }
