"""Writes of the wait predictor: log each ticket's estimate (at take-ticket, in its transaction),
settle each with the wait that followed, retrain each hall nightly, and the customer's reminders
(the "3 ahead" SMS for a phone left with a ticket, the reminder before an appointment)."""
import datetime as dt
import logging
import math

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, writes
from servicehall.core.deadlines import claim, register_sweep
from servicehall.core.errors import DomainError
from servicehall.notices import services as notices
from servicehall.notices.models import Notice
from servicehall.queueing.models import Appointment, CounterPause, Service, Ticket
from servicehall.queueing.selectors import people_ahead

from . import engine, selectors
from .models import QueueWatch, WaitModel, WaitPrediction

log = logging.getLogger(__name__)
# *(design)* retrain every night at 02:00 in the hall's time, on the last 60 days of its own history
RETRAIN_LOCAL_HOUR = 2
HISTORY_DAYS = 60
# *(design)* the appointment reminder goes out this long before the slot
APPOINTMENT_REMINDER_BEFORE = dt.timedelta(hours=1)

__all__ = ["predict_new_ticket", "log_prediction", "settle_predictions", "retrain_due", "train_hall", "watch_ticket", "notify_queue_near",
           "remind_appointments"]


def _next_training(hall, now) -> dt.datetime:
    local = now.astimezone(hall.tz)
    moment = local.replace(hour=RETRAIN_LOCAL_HOUR, minute=0, second=0, microsecond=0)
    if moment <= local:
        moment += dt.timedelta(days=1)
    return moment.astimezone(dt.UTC)


def predict_new_ticket(*, ticket: Ticket, now=None) -> engine.Estimate | None:
    """The estimate for a ticket just taken, logged with its features (two statements: the hall's state, the
    log row), in the ticket's transaction and without a savepoint of its own (issue #12: a SAVEPOINT and its
    RELEASE were two of take-ticket's ten statements). The prediction is read and computed before anything
    is written, so a fault there leaves nothing to undo: it is logged and the ticket carries no estimate (None);
    a database error is not swallowed, since the ticket's transaction is then broken and must fail as a whole.
    The log row holds only finite numbers in range (`log_prediction`), so it cannot be refused."""
    now = now or timezone.now()
    try:
        prediction = selectors.predict(ticket.hall, category=ticket.category.prefix, priority=ticket.priority,
                                       ticket_id=ticket.pk, now=now)
    except DatabaseError:
        raise
    except Exception:
        log.exception("wait estimate for ticket %s failed", ticket.pk)
        return None
    return log_prediction(ticket=ticket, prediction=prediction, now=now)


_INT_MAX = 2**31 - 1


def _whole(value) -> int:
    """A count of seconds the log's integer columns hold (a non-finite or negative figure is 0)."""
    return min(_INT_MAX, max(0, int(value))) if isinstance(value, int | float) and math.isfinite(value) else 0


def _finite(value) -> float:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else 0.0


def log_prediction(*, ticket: Ticket, prediction, now) -> engine.Estimate:
    """Log a prediction made for a new ticket (one INSERT). Every number is made finite and in its column's
    range first, so the row cannot be refused for its values: a refused row would cost the customer the ticket."""
    est = prediction.estimate
    writes.insert_row(
        WaitPrediction, hall_id=ticket.hall_id, ticket_id=ticket.pk, category=ticket.category.prefix, predicted_at=now, seconds=_whole(est.seconds),
        low_seconds=_whole(est.low), high_seconds=_whole(est.high), coverage=_finite(est.coverage), calibrated=bool(est.calibrated),
        model_version=prediction.model_version or 0, feature_version=engine.FEATURE_VERSION,
        features=[_finite(v) for v in prediction.features], classic={k: _finite(v) for k, v in prediction.classic.items()},
    )
    if prediction.model_version is None:
        try:
            with transaction.atomic():  # the hall's first ticket only
                WaitModel.objects.create(hall_id=ticket.hall_id, next_training_at=_next_training(ticket.hall, now))
        except IntegrityError:
            pass  # created meanwhile by another kiosk
    return est


@register_sweep("waits.settle")
def settle_predictions(now=None, *, limit=5000) -> int:
    """Record the wait that followed each logged estimate (called − taken) once its ticket is called;
    a ticket that ended without a call (cancelled, day end) is settled without a wait."""
    now = now or timezone.now()
    rows = list(
        WaitPrediction.objects.filter(settled_at__isnull=True, predicted_at__lte=now)
        .exclude(ticket__status=Ticket.Status.WAITING)
        .values_list("pk", "predicted_at", "ticket__called_at")[:limit]
    )
    done = []
    for pk, predicted_at, called_at in rows:
        actual = max(0, round((called_at - predicted_at).total_seconds())) if called_at else None
        done.append(WaitPrediction(pk=pk, actual_seconds=actual, settled_at=now))
    WaitPrediction.objects.bulk_update(done, ["actual_seconds", "settled_at"], batch_size=500)
    return len(done)


def _training_rows(hall_id: int, since) -> list[tuple[list[float], float]]:
    rows = (
        WaitPrediction.objects.filter(hall_id=hall_id, feature_version=engine.FEATURE_VERSION, actual_seconds__isnull=False,
                                      predicted_at__gte=since)
        .order_by("predicted_at", "id").values_list("features", "actual_seconds")
    )
    return [(list(x), float(y)) for x, y in rows]


def _service_means(hall_id: int, since) -> dict[str, float]:
    rows = (Service.objects.filter(hall_id=hall_id, started_at__gte=since, handling_seconds__isnull=False)
            .values("ticket__category__prefix").annotate(m=Avg("handling_seconds")).values_list("ticket__category__prefix", "m"))
    return {prefix: float(m) for prefix, m in rows}


def _pause_mean(hall_id: int, since) -> float:
    spans = [(b - a).total_seconds() for a, b in CounterPause.objects.filter(hall_id=hall_id, started_at__gte=since, ended_at__isnull=False)
             .order_by("-started_at").values_list("started_at", "ended_at")[:2000]]
    return sum(spans) / len(spans) if spans else engine.DEFAULT_PAUSE_SECONDS


def train_hall(hall, *, now=None) -> WaitModel:
    """Fit the hall's predictor on its last `HISTORY_DAYS` of logged estimates and the waits that
    followed. With too little history the virtual queue runs alone, on the hall's own mean handling
    and pause times. Each training is a new version (processes reload it) and an audit row."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=HISTORY_DAYS)
    means, pause = _service_means(hall.pk, since), _pause_mean(hall.pk, since)
    rows = _training_rows(hall.pk, since)
    params = engine.fit(rows, service_means_=means, pause_seconds=pause) or {"service_means": means, "pause_seconds": pause}
    with transaction.atomic():
        model, _created = WaitModel.objects.select_for_update().get_or_create(hall_id=hall.pk)
        before = {"version": model.version, "n_train": model.n_train}
        model.version += 1
        model.params, model.trained_at, model.n_train = params, now, params.get("n_train", 0)
        model.next_training_at, model.training_claimed_at = _next_training(hall, now), None
        model.save()
        audit.record(actor=None, obj=model, action="waits.train", before=before,
                     after={"version": model.version, "n_train": model.n_train, "calibration_mae_seconds": params.get("calibration_mae_seconds")})
    return model


@register_sweep("waits.retrain")
def retrain_due(now=None) -> int:
    """Train every hall whose training time has come; each is claimed first, so two workers never
    train one hall twice, and a worker that dies mid-way leaves the claim to be taken again."""
    now = now or timezone.now()
    claimed = claim(WaitModel.objects.all(), due_field="next_training_at", marker_field="training_claimed_at", now=now)
    for pk in claimed:
        model = WaitModel.objects.select_related("hall").get(pk=pk)
        try:
            train_hall(model.hall, now=now)
        except Exception:  # one hall's failure must not stop the others; it is retried next round
            log.exception("training the wait model of hall %s failed", model.hall_id)
            WaitModel.objects.filter(pk=pk).update(training_claimed_at=None)
    return len(claimed)


# --- the customer's reminders ------------------------------------------------------------------------

def watch_ticket(*, ticket: Ticket, phone: str, ahead_at_most: int = 3, now=None) -> QueueWatch:
    """The customer leaves a phone number with a waiting ticket (from the ticket's QR page, or an
    appointment's number at check-in): an SMS goes out when `ahead_at_most` people or fewer are ahead."""
    now = now or timezone.now()
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if not 7 <= len(digits) <= 15:
        raise DomainError(_("手机号码格式不正确。"), code="bad_phone", field="phone")
    if ticket.status != Ticket.Status.WAITING:
        raise DomainError(_("该票已不在等候中。"), code="not_waiting", status=409)
    with transaction.atomic():
        watch, created = QueueWatch.objects.update_or_create(
            ticket_id=ticket.pk, defaults={"hall_id": ticket.hall_id, "phone": digits, "ahead_at_most": ahead_at_most,
                                           "created_at": now, "done_at": None})
        audit.record(actor=None, obj=watch, action="waits.watch", after={"phone": watch.masked_phone, "ahead_at_most": ahead_at_most})
    return watch


@register_sweep("waits.queue_near")
def notify_queue_near(now=None) -> int:
    """Send the "N people ahead" SMS to every watched ticket that has come that close; a watch whose
    ticket is no longer waiting closes without a message."""
    now = now or timezone.now()
    sent = 0
    for watch in selectors.pending_watches()[:1000]:
        ticket = watch.ticket
        with transaction.atomic():
            if ticket.status != Ticket.Status.WAITING:
                QueueWatch.objects.filter(pk=watch.pk, done_at__isnull=True).update(done_at=now)
                continue
            ahead = people_ahead(ticket, now=now)
            if ahead > watch.ahead_at_most:
                continue
            if not QueueWatch.objects.filter(pk=watch.pk, done_at__isnull=True).update(done_at=now):
                continue  # another worker took it
            notice = notices.send(kind="queue_near", to=watch.phone, hall=ticket.hall_id, key=f"queue-near:{ticket.pk}",
                                  params={"hall": ticket.hall.name, "code": ticket.code, "ahead": ahead}, now=now)
            QueueWatch.objects.filter(pk=watch.pk).update(notice=notice)
            sent += 1
    return sent


@register_sweep("waits.appointment_reminders")
def remind_appointments(now=None) -> int:
    """An SMS to each customer with an appointment within the next hour who left a number and has not
    checked in yet; the notice's key makes it one message per appointment however often this runs."""
    now = now or timezone.now()
    due = (Appointment.objects.filter(slot_start__gt=now, slot_start__lte=now + APPOINTMENT_REMINDER_BEFORE, ticket__isnull=True)
           .exclude(phone="").select_related("hall", "category"))
    sent = 0
    for appointment in due[:1000]:
        key = f"appointment-reminder:{appointment.pk}"
        if Notice.objects.filter(key=key).exists():
            continue
        local = appointment.slot_start.astimezone(appointment.hall.tz)
        try:
            with transaction.atomic():
                notices.send(kind="appointment_reminder", to=appointment.phone, hall=appointment.hall_id, key=key, now=now,
                                      params={"hall": appointment.hall.name, "category": appointment.category.name,
                                              "time": f"{local:%H:%M}", "code": appointment.code})
        except DomainError:
            log.warning("appointment %s: no reminder (bad number or no template)", appointment.pk)
            continue
        sent += 1
    return sent

