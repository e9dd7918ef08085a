"""The predictor in the product: logged at take-ticket for at most two statements, settled with the
wait that followed, retrained nightly by the worker (frozen time), and the customer's reminders."""
import dataclasses
import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicehall.core.models import AuditEntry
from servicehall.notices.models import Notice
from servicehall.queueing import services as queue
from servicehall.queueing.models import Appointment, Ticket
from servicehall.queueing.tests.backend_fixtures import OPEN_MOMENT, SHANGHAI, category, open_counters, take
from servicehall.waits import engine, selectors, services
from servicehall.waits.models import QueueWatch, WaitModel, WaitPrediction

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(OPEN_MOMENT, tick=False) as traveller:
        yield traveller


def serve_next(org, counter, *, minutes=5, clock=None):
    by = org.user("teller_a")
    ticket = queue.call_next(counter=counter, by=by)
    queue.start_service(counter=counter, by=by)
    if clock:
        clock.shift(minutes * 60)
    queue.finish_service(counter=counter, by=by, business_types=[], outcome="refused")
    return ticket


def test_a_ticket_is_printed_with_its_estimate_logged_with_features_and_classic_predictors(org, clock):
    open_counters(org, org.counters_a[2])
    first = take(org, "B", clock=clock)
    second = take(org, "B", clock=clock)
    log = WaitPrediction.objects.get(ticket=second)
    assert (log.seconds, log.low_seconds, log.high_seconds) == (second.estimate.seconds, second.estimate.low, second.estimate.high)
    assert log.feature_version == engine.FEATURE_VERSION and len(log.features) == len(engine.FEATURE_NAMES)
    assert set(log.classic) == {"virtual", "les", "hol", "ql"} and not log.calibrated and log.model_version == 0
    assert first.estimate.seconds == 0 and second.estimate.seconds == engine.DEFAULT_SERVICE_SECONDS
    model = WaitModel.objects.get(hall=org.hall_a)
    assert model.next_training_at == dt.datetime(2026, 3, 3, 2, 0, tzinfo=SHANGHAI), "the hall's first ticket schedules tonight's training"


def test_a_prediction_that_fails_or_is_out_of_range_never_costs_the_customer_the_ticket(org, clock, monkeypatch):
    """No savepoint guards the predictor any more (issue #12): a fault before anything is written leaves the
    ticket without an estimate, and figures out of the columns' ranges are logged clamped, not refused."""
    open_counters(org, org.counters_a[2])
    take(org, "B", clock=clock)

    def broken(*args, **kwargs):
        raise ZeroDivisionError("the predictor's fault")

    monkeypatch.setattr(selectors, "predict", broken)
    plain = take(org, "B", clock=clock)
    assert plain.pk and plain.estimate is None and not WaitPrediction.objects.filter(ticket=plain).exists()
    monkeypatch.undo()

    real = selectors.predict

    def wild(*args, **kwargs):
        p = real(*args, **kwargs)
        p.features[1], p.classic["les"] = float("nan"), float("-inf")
        return dataclasses.replace(p, estimate=dataclasses.replace(p.estimate, seconds=10**12, high=float("inf"), coverage=float("nan")))

    monkeypatch.setattr(selectors, "predict", wild)
    taken = take(org, "B", clock=clock)
    log = WaitPrediction.objects.get(ticket=taken)
    assert (log.seconds, log.high_seconds, log.coverage) == (2**31 - 1, 0, 0.0)
    assert log.features[1] == 0.0 and log.classic["les"] == 0.0
    assert Ticket.objects.filter(pk=taken.pk, status="waiting").exists()


def test_predicting_costs_take_ticket_two_statements(org, clock):
    """The hot path: the hall's state in one statement and the log row; nothing else (savepoints aside)."""
    open_counters(org, org.counters_a[2])
    take(org, "B", clock=clock)
    with CaptureQueriesContext(connection) as ctx:
        take(org, "B", clock=clock)
    sql = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    mine = [s for s in sql if "waits_" in s]
    assert len(mine) == 2, "\n".join(mine)
    assert "UNION ALL" in mine[0] and mine[1].startswith('INSERT INTO "waits_waitprediction"')
    services.train_hall(org.hall_a)
    with CaptureQueriesContext(connection) as ctx:
        take(org, "B", clock=clock)
    assert len([q for q in ctx.captured_queries if "waits_" in q["sql"]]) == 3, "a retrained model is loaded once per process"
    with CaptureQueriesContext(connection) as ctx:
        take(org, "B", clock=clock)
    assert len([q for q in ctx.captured_queries if "waits_" in q["sql"]]) == 2


def test_the_wait_that_followed_is_recorded_once_the_ticket_is_called(org, clock):
    open_counters(org, org.counters_a[2])
    a = take(org, "B", clock=clock, shift=0)
    b = take(org, "B", clock=clock, shift=0)
    c = take(org, "B", clock=clock, shift=0)
    clock.shift(30)
    serve_next(org, org.counters_a[2], minutes=4, clock=clock)  # a called after 30 s
    assert services.settle_predictions() == 1
    queue.cancel_ticket(ticket=c)
    clock.shift(20)
    queue.call_next(counter=org.counters_a[2], by=org.user("teller_a"))  # b called after 30 + 240 + 20 s
    assert services.settle_predictions() == 2
    got = dict(WaitPrediction.objects.values_list("ticket_id", "actual_seconds"))
    assert got == {a.pk: 30, b.pk: 290, c.pk: None}
    assert services.settle_predictions() == 0


def _history(org, clock, days=3):
    """A few busy mornings: tickets taken, served at one counter, predictions settled."""
    counter = org.counters_a[2]
    for _d in range(days):
        open_counters(org, counter)
        for _ in range(40):
            take(org, "B", clock=clock, shift=60)
            if WaitPrediction.objects.filter(ticket__status="waiting").count() > 3:
                serve_next(org, counter, minutes=3, clock=clock)
        while queue.call_next(counter=counter, by=org.user("teller_a")):
            queue.start_service(counter=counter, by=org.user("teller_a"))
            clock.shift(120)
            queue.finish_service(counter=counter, by=org.user("teller_a"), business_types=[], outcome="refused")
        queue.close_counter(counter=counter, by=org.user("teller_a"))
        services.settle_predictions()
        clock.shift(24 * 3600 - 40 * 60 - 3600)


def test_the_worker_retrains_each_hall_nightly_and_the_estimate_becomes_calibrated(org, clock):
    _history(org, clock)
    assert WaitPrediction.objects.filter(actual_seconds__isnull=False).count() >= 100
    model = WaitModel.objects.get(hall=org.hall_a)
    due = model.next_training_at
    assert services.retrain_due(now=due - dt.timedelta(seconds=1)) == 0
    assert services.retrain_due(now=due) == 1 and services.retrain_due(now=due) == 0, "claimed once"
    model.refresh_from_db()
    assert model.version == 1 and model.is_calibrated and model.trained_at == due and model.training_claimed_at is None
    assert model.next_training_at == due + dt.timedelta(days=1)
    assert model.params["service_means"]["B"] > 0 and model.params["n_train"] > 0
    assert AuditEntry.objects.filter(action="waits.train", object_id=str(model.pk)).exists()
    with time_machine.travel(due + dt.timedelta(hours=8), tick=False):
        open_counters(org, org.counters_a[2])
        ticket = take(org, "B")
    assert ticket.estimate.calibrated and ticket.estimate.coverage == engine.COVERAGE
    assert WaitPrediction.objects.get(ticket=ticket).model_version == 1


def test_a_failed_training_is_retried_next_round(org, clock, monkeypatch):
    take(org, "B", clock=clock)
    model = WaitModel.objects.get(hall=org.hall_a)
    monkeypatch.setattr(services.engine, "fit", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    assert services.retrain_due(now=model.next_training_at) == 1
    model.refresh_from_db()
    assert model.version == 0 and model.training_claimed_at is None
    monkeypatch.undo()
    services.retrain_due(now=model.next_training_at)
    model.refresh_from_db()
    assert model.version == 1 and not model.is_calibrated, "too little history: the virtual queue on the hall's own means"


def test_accuracy_figures_compare_with_the_classic_predictors(org, clock):
    _history(org, clock, days=2)
    figures = selectors.accuracy(org.hall_a, now=dt.datetime.now(dt.UTC))
    n = WaitPrediction.objects.filter(actual_seconds__isnull=False).count()
    assert figures["n"] == n == figures["coverage"]["denominator"] and len(figures["days"]) == 2
    rows = WaitPrediction.objects.filter(actual_seconds__isnull=False)
    assert figures["mae_seconds"] == round(sum(abs(r.seconds - r.actual_seconds) for r in rows) / n)
    assert figures["mae_classic"]["les"] == round(sum(abs(r.classic["les"] - r.actual_seconds) for r in rows) / n)


def test_r_q9_staffing_advice_from_erlang_c_on_the_forecast_arrivals(org, clock):
    from servicehall.queueing import erlang

    _history(org, clock, days=3)
    day = (OPEN_MOMENT + dt.timedelta(days=3)).date()
    advice = selectors.staffing_advice(org.hall_a, day=day)
    assert advice["open"] and advice["basis_days"] == 3 and not advice["same_weekday"]
    hours = {h.hour: h for h in advice["hours"]}
    assert sorted(hours) == list(range(8, 18))
    busy = hours[10]
    assert busy.forecast_arrivals > 0
    expected = erlang.servers_needed(busy.forecast_arrivals / 3600, busy.mean_service_seconds, target_seconds=900, target_share=0.8)
    assert busy.counters_needed == expected >= 1 and hours[16].counters_needed == 0


def test_r_n1_three_ahead_sms_to_a_customer_who_left_a_number(org, clock, django_capture_on_commit_callbacks):
    counter = org.counters_a[2]
    open_counters(org, counter)
    tickets = [take(org, "B", clock=clock) for _ in range(6)]
    serve_next(org, counter)
    watch = services.watch_ticket(ticket=tickets[5], phone="138-1234-5678")
    assert watch.phone == "13812345678" and watch.masked_phone == "138****5678"
    assert services.notify_queue_near() == 0, "4 ahead"
    queue.call_next(counter=counter, by=org.user("teller_a"))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_queue_near() == 1
    notice = Notice.objects.get(kind="queue_near")
    assert notice.key == f"queue-near:{tickets[5].pk}" and "B006" in notice.body and "前面还有 3 位" in notice.body
    assert notice.state == "sent"
    assert services.notify_queue_near() == 0 and Notice.objects.count() == 1
    gone = services.watch_ticket(ticket=tickets[4], phone="13900000000")
    queue.cancel_ticket(ticket=tickets[4])
    assert services.notify_queue_near() == 0
    gone.refresh_from_db()
    assert gone.done_at is not None and gone.notice is None


def test_r_n1_appointment_reminder_once_and_check_in_watches_the_ticket(org, clock):
    slot = OPEN_MOMENT + dt.timedelta(minutes=50)
    appt = Appointment.objects.create(hall=org.hall_a, code="K7", category=category("A"), slot_start=slot, phone="13812345678")
    Appointment.objects.create(hall=org.hall_a, code="K8", category=category("A"), slot_start=slot + dt.timedelta(hours=2), phone="1")
    assert services.remind_appointments() == 1 and services.remind_appointments() == 0
    notice = Notice.objects.get(kind="appointment_reminder")
    assert notice.key == f"appointment-reminder:{appt.pk}" and "10:50" in notice.body and "K7" in notice.body
    ticket = queue.take_ticket(hall=org.hall_a, category=None, appointment_code="K7")
    assert QueueWatch.objects.get(ticket=ticket).phone == "13812345678"


def test_recorded_days_export_to_bench_wait_and_replay(org, clock, tmp_path):
    import io

    from django.core.management import call_command

    from servicehall.waits import replay

    _history(org, clock, days=3)
    out = tmp_path / "recorded.csv"
    text = io.StringIO()
    with time_machine.travel(OPEN_MOMENT + dt.timedelta(days=3, hours=2), tick=False):
        call_command("bench_wait", export=org.hall_a.code, days=3, out=str(out), stdout=text)
    rows = replay.read_csv(out)
    tickets = [r for r in rows if r["record"] == "ticket"]
    assert len(tickets) == Ticket.objects.filter(hall=org.hall_a).count() and "tickets of" in text.getvalue()
    assert {r["event"] for r in rows if r["record"] == "counter"} == {"open", "close"}
    result = replay.replay(rows, warmup_days=1)
    assert result.predictions > 50 and result.scores["LES"].n == result.scores["model"].n


def _reference_snapshot(hall, now, *, leave_out=None):
    """The predictor's input built the plain way, one ORM row per ticket, service and arrival: the oracle
    for the snapshot statement, which counts services and arrivals per group and computes instants in SQL."""
    from servicehall.queueing.models import CounterState, Service

    ts = lambda value: value.timestamp() if value else None  # noqa: E731
    day = now.astimezone(hall.tz).date()
    waiting = [engine.Waiting(t.category.prefix, t.priority, ts(t.queue_at), t.pk, t.directed_to_id)
               for t in Ticket.objects.filter(hall=hall, status="waiting").select_related("category")]
    counters = []
    for s in CounterState.objects.filter(hall=hall, counter__is_active=True).exclude(state="closed").select_related("counter"):
        busy = Ticket.objects.filter(counter=s.counter, status__in=("called", "serving")).select_related("category").first()
        counters.append(engine.CounterNow(s.counter_id, s.state, frozenset(c.prefix for c in s.counter.categories.all()), ts(s.since),
                                          ts(busy.called_at) if busy else None, busy.category.prefix if busy else None))
    services_ = [(v.ticket.category.prefix, float(v.handling_seconds), ts(v.finished_at), v.counter_id)
                 for v in Service.objects.filter(hall=hall, handling_seconds__isnull=False, finished_at__lte=now,
                                                 finished_at__gte=now - dt.timedelta(seconds=engine.RECENT_SERVICE_WINDOW))
                 .select_related("ticket__category")]
    recent = Ticket.objects.filter(hall=hall, business_day=day, issued_at__lte=now,
                                   issued_at__gte=now - dt.timedelta(seconds=engine.RECENT_ARRIVAL_WINDOW)).exclude(pk=leave_out)
    arrivals = [(t.category.prefix, t.priority, ts(t.issued_at)) for t in recent.filter(transferred_from__isnull=True).select_related("category")]
    calls = [(t.category.prefix, ts(t.called_at), ts(t.called_at) - ts(t.queue_at))
             for t in Ticket.objects.filter(hall=hall, business_day=day, called_at__lte=now,
                                            called_at__gte=now - dt.timedelta(seconds=engine.RECENT_CALL_WINDOW)).select_related("category")]
    local = now.astimezone(hall.tz)
    return engine.Snapshot(now=now.timestamp(), hour=local.hour + local.minute / 60, weekday=local.weekday(), waiting=waiting,
                           counters=counters, recent_services=services_, recent_arrivals=arrivals, recent_calls=calls,
                           transfers_last_hour=recent.filter(transferred_from__isnull=False).count())


def test_the_snapshot_statement_gives_the_engine_what_the_rows_one_by_one_give_it(org, clock, monkeypatch):
    """Services and arrivals come counted per group and instants as epoch seconds (issue #12: a thousand waiting
    tickets cost a take-ticket 25 ms of timestamp parsing); every feature the engine computes from them is the same
    as from the rows one by one, for every category, priority and for a ticket already waiting."""
    teller = org.user("teller_a")
    open_counters(org, org.counters_a[0], org.counters_a[2])
    for i, prefix in enumerate("ABBCABBA"):
        take(org, prefix, clock=clock, shift=90, priority_reason="elderly" if i == 3 else "none")
    for minutes, counter in ((4, org.counters_a[2]), (7, org.counters_a[0]), (2, org.counters_a[2]), (9, org.counters_a[0])):
        serve_next(org, counter, minutes=minutes, clock=clock)
    queue.call_next(counter=org.counters_a[0], by=teller)
    queue.start_service(counter=org.counters_a[0], by=teller)
    queue.transfer(counter=org.counters_a[0], by=teller, to_category=category("B"))
    queue.call_next(counter=org.counters_a[2], by=teller)  # busy with the transferred ticket or the next B
    clock.shift(130)
    take(org, "B", clock=clock, shift=40)
    now = dt.datetime.now(dt.UTC)
    rows = []
    monkeypatch.setattr(selectors, "_category_prefixes", lambda r: rows.extend(r) or selectors._PREFIXES.get(None))
    snap, _version = selectors.snapshot(org.hall_a, now=now)
    reference = _reference_snapshot(org.hall_a, now)
    assert reference.transfers_last_hour == snap.transfers_last_hour == 1
    assert len(reference.recent_services) == len(snap.recent_services) >= 4 and len(reference.recent_arrivals) == len(snap.recent_arrivals)
    assert len([r for r in rows if r[0] in "sa"]) < len(reference.recent_services) + len(reference.recent_arrivals), "counted, not listed"

    def same(a, b):
        xa, pa = engine.features(a, me, None)
        xb, pb = engine.features(b, me, None)
        assert xa == pytest.approx(xb, abs=1e-6) and pa == pytest.approx(pb, abs=1e-6), (me, xa, xb)

    for prefix in "ABCDE":
        for priority in (0, 20):
            me = engine.Waiting(prefix, priority, now.timestamp(), selectors.NEW_ARRIVAL)
            same(snap, reference)
    mine = Ticket.objects.filter(hall=org.hall_a, status="waiting").order_by("pk").last()
    snap, _version = selectors.snapshot(org.hall_a, now=now, leave_out=mine.pk)
    reference = _reference_snapshot(org.hall_a, now, leave_out=mine.pk)
    me = next(w for w in snap.waiting if w.order == mine.pk)
    snap.waiting.remove(me)  # as `predict` does: the ticket is placed by the engine, not found in the queue
    reference.waiting = [w for w in reference.waiting if w.order != mine.pk]
    same(snap, reference)


def test_a_category_the_process_has_not_seen_yet_is_read_again(org, clock):
    """The snapshot names categories by id; one created where this process's map was not told (no signal)
    is looked up before the estimate is made."""
    from servicehall.catalogue.models import ServiceCategory

    open_counters(org, org.counters_a[0])
    take(org, "A", clock=clock)
    ServiceCategory.objects.bulk_create([ServiceCategory(code="zz-new", name="新业务", prefix="Z", order=99)])
    org.counters_a[0].categories.add(ServiceCategory.objects.get(prefix="Z"))
    assert "Z" not in selectors._PREFIXES.get(None).values(), "bulk_create sends no signal: the map is the old one"
    ticket = take(org, "Z", clock=clock)
    assert ticket.estimate is not None and WaitPrediction.objects.filter(ticket=ticket, category="Z").exists()
