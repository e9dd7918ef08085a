"""Reads of the wait predictor: the hall's state at an instant (one statement), the estimate for a
ticket or a new arrival, the accuracy of the logged predictions, and the hourly staffing advice."""
import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Avg, Count
from django.db.models.functions import ExtractHour
from django.utils import timezone

from servicehall.catalogue.models import ServiceCategory
from servicehall.core.process_cache import ProcessCache, drop_on_write
from servicehall.org.models import Counter
from servicehall.queueing import erlang
from servicehall.queueing.models import CounterState, Service, Ticket
from servicehall.queueing.selectors import settings_for

from . import engine
from .models import WaitModel, WaitPrediction

NEW_ARRIVAL = 2**62  # a customer taking a ticket now is behind every ticket already taken


def _tables():
    return {
        "ticket": Ticket._meta.db_table, "state": CounterState._meta.db_table,
        "counter": Counter._meta.db_table, "m2m": Counter.categories.through._meta.db_table, "service": Service._meta.db_table,
        "model": WaitModel._meta.db_table,
    }


# One row per waiting ticket and per open counter; the recent services and arrivals counted per group.
# Columns: kind, category id, three integers, two instants (epoch seconds), a text. Categories come as ids
# (their prefixes from a per-process map): joining the category to a thousand waiting tickets was a third
# of the statement's time.
_SNAPSHOT_SQL = """
SELECT 'w', t.category_id, t.priority, t.id, t.directed_to_id, {ep_queue_at}, {null}, NULL
  FROM {ticket} t WHERE t.hall_id = %(hall)s AND t.status = 'waiting'
UNION ALL
SELECT 'c', a.category_id, s.counter_id, NULL, NULL, {ep_since}, {ep_called_at}, s.state
  FROM {state} s JOIN {counter} k ON k.id = s.counter_id
  LEFT JOIN {ticket} a ON a.counter_id = s.counter_id AND a.status IN ('called', 'serving')
  WHERE s.hall_id = %(hall)s AND s.state <> 'closed' AND k.is_active
UNION ALL
SELECT 'k', m.servicecategory_id, m.counter_id, NULL, NULL, {null}, {null}, NULL
  FROM {m2m} m JOIN {state} s ON s.counter_id = m.counter_id
  WHERE s.hall_id = %(hall)s AND s.state <> 'closed'
UNION ALL
SELECT 's', t.category_id, v.counter_id, COUNT(*), NULL, CAST(SUM(v.handling_seconds) AS {real}), {null}, NULL
  FROM {service} v JOIN {ticket} t ON t.id = v.ticket_id
  WHERE v.hall_id = %(hall)s AND v.started_at >= %(services_from)s AND v.finished_at >= %(finished_from)s
    AND v.finished_at <= %(now)s AND v.handling_seconds IS NOT NULL
  GROUP BY t.category_id, v.counter_id
UNION ALL
SELECT 'a', t.category_id, t.priority, COUNT(*), CASE WHEN t.transferred_from_id IS NULL THEN 0 ELSE 1 END, MIN({ep_issued_at}),
       {null}, NULL
  FROM {ticket} t
  WHERE t.hall_id = %(hall)s AND t.business_day = %(day)s AND t.issued_at >= %(arrivals_from)s AND t.issued_at <= %(now)s
    AND t.id <> %(me)s
  GROUP BY t.category_id, t.priority, CASE WHEN t.transferred_from_id IS NULL THEN 0 ELSE 1 END,
    CASE WHEN t.issued_at >= %(recent_from)s THEN 1 ELSE 0 END
UNION ALL
SELECT 'l', t.category_id, NULL, NULL, NULL, {ep_t_called_at}, {ep_t_called_at} - {ep_queue_at}, NULL
  FROM {ticket} t
  WHERE t.hall_id = %(hall)s AND t.business_day = %(day)s AND t.called_at >= %(calls_from)s AND t.called_at <= %(now)s
UNION ALL
SELECT 'v', NULL, m.version, NULL, NULL, {null}, {null}, NULL FROM {model} m WHERE m.hall_id = %(hall)s
"""


def _sql(vendor: str) -> str:
    """The snapshot's statement for the database at hand. Instants come back as epoch seconds (float) computed
    by the database: converting some 2 000 timestamps per take-ticket in Python was most of its cost with
    a thousand tickets waiting (issue #12)."""
    if vendor == "postgresql":
        epoch, real = "EXTRACT(EPOCH FROM {})::float8".format, "double precision"
    else:  # SQLite keeps instants as UTC text, which julianday reads (to the millisecond)
        epoch, real = "((julianday({}) - 2440587.5) * 86400.0)".format, "REAL"
    return _SNAPSHOT_SQL.format(
        real=real, null=f"CAST(NULL AS {real})", ep_queue_at=epoch("t.queue_at"), ep_since=epoch("s.since"), ep_called_at=epoch("a.called_at"),
        ep_issued_at=epoch("t.issued_at"), ep_t_called_at=epoch("t.called_at"), **_tables(),
    )


def snapshot_statement(hall_id: int, tz, *, now: dt.datetime, leave_out: int | None = None, vendor: str | None = None):
    """The snapshot's statement and its parameters (bench_queue's hand-written path runs the very same)."""
    adapt = connection.ops.adapt_datetimefield_value
    params = {
        "hall": hall_id, "now": adapt(now), "day": now.astimezone(tz).date(), "me": leave_out or 0,
        "services_from": adapt(now - dt.timedelta(seconds=engine.RECENT_SERVICE_WINDOW + 4 * 3600)),
        "finished_from": adapt(now - dt.timedelta(seconds=engine.RECENT_SERVICE_WINDOW)),
        "arrivals_from": adapt(now - dt.timedelta(seconds=engine.RECENT_ARRIVAL_WINDOW)),
        "recent_from": adapt(now - dt.timedelta(seconds=engine.RECENT_LOAD_WINDOW)),
        "calls_from": adapt(now - dt.timedelta(seconds=engine.RECENT_CALL_WINDOW)),
    }
    return _sql(vendor or connection.vendor), params


def snapshot(hall, *, now: dt.datetime, leave_out: int | None = None) -> tuple[engine.Snapshot, int | None]:
    """The hall's state at `now` for the predictor, read in one statement, and the version of the
    hall's trained model (None when it has none yet). `leave_out`: a ticket whose own arrival is not
    counted among the recent arrivals (the one the estimate is for).

    The waiting tickets and the open counters come row by row (the virtual queue hands out each);
    the recent services and arrivals come counted per category (and counter, priority, half hour), which is
    all the engine reads of them, so the statement's size does not grow with the hall's traffic."""
    sql, params = snapshot_statement(hall.pk, hall.tz, now=now, leave_out=leave_out)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return snapshot_from_rows(rows, hall.tz, now=now)


def snapshot_from_rows(rows, tz, *, now: dt.datetime) -> tuple[engine.Snapshot, int | None]:
    prefixes = _category_prefixes(rows)
    waiting, counters, handles = [], {}, defaultdict(set)
    services, arrivals, calls = [], [], []
    transfers, version = 0, None
    Waiting = engine.Waiting
    for kind, cat, n1, n2, n3, t1, t2, text in rows:
        if kind == "w":
            waiting.append(Waiting(prefixes[cat], n1, t1, n2, n3))
        elif kind == "c":  # an open or paused counter (n1), busy since t2 with a ticket of `cat`
            counters[n1] = (text, t1, t2, prefixes.get(cat))
        elif kind == "k":
            handles[n1].add(prefixes[cat])
        elif kind == "s":  # n2 services of a category at a counter (n1), t1 seconds in all
            services.extend([(prefixes[cat], t1 / n2, None, n1)] * n2)
        elif kind == "a":  # n2 arrivals of a category and priority (n1), the earliest at t1; n3: transferred
            if n3:
                transfers += n2
            else:
                arrivals.extend([(prefixes[cat], n1, t1)] * n2)
        elif kind == "l":
            calls.append((prefixes[cat], t1, t2))
        elif kind == "v":
            version = n1
    local = now.astimezone(tz)
    snap = engine.Snapshot(
        now=now.timestamp(), hour=local.hour + local.minute / 60, weekday=local.weekday(), waiting=waiting,
        counters=[engine.CounterNow(cid, state, frozenset(handles[cid]), since, busy, busy_cat)
                  for cid, (state, since, busy, busy_cat) in counters.items()],
        recent_services=services, recent_arrivals=arrivals, recent_calls=calls, transfers_last_hour=transfers,
    )
    return snap, version


def _all_prefixes(_key=None) -> dict[int, str]:
    return dict(ServiceCategory.objects.values_list("id", "prefix"))


# The catalogue's few categories (id → prefix), per process: changed a few times a year.
_PREFIXES = ProcessCache("waits.category_prefixes", _all_prefixes)
drop_on_write(ServiceCategory, _PREFIXES, dispatch_uid="waits.selectors.category_prefixes")


def _category_prefixes(rows) -> dict[int, str]:
    """The prefix of every category the rows name; read again when one is missing (created a moment ago)."""
    prefixes = _PREFIXES.get(None)
    if any(row[1] is not None and row[1] not in prefixes for row in rows):
        _PREFIXES.forget()
        prefixes = _PREFIXES.get(None)
    return prefixes


# Each process keeps the parameters of the halls it predicts for; the version read with the state
# tells when a retrained model must be loaded (one extra statement, once per training).
_PARAMS: dict[int, tuple[int, dict]] = {}


def model_params(hall_id: int, version: int | None) -> dict | None:
    if not version:  # no model row yet, or one never trained (version 0): nothing to load
        return None
    cached = _PARAMS.get(hall_id)
    if cached is not None and cached[0] == version:
        return cached[1]
    row = WaitModel.objects.filter(hall_id=hall_id).values_list("version", "params").first()
    if row is None:
        return None
    _PARAMS[hall_id] = row
    return row[1]


@dataclass(frozen=True)
class Prediction:
    estimate: engine.Estimate
    features: list
    classic: dict
    model_version: int | None


def predict(hall, *, category: str, priority: int = 0, ticket_id: int | None = None, now=None) -> Prediction:
    """The estimate for a ticket already in the queue (`ticket_id`: it keeps its place), or for a new
    arrival of `category` and `priority` now."""
    now = now or timezone.now()
    snap, version = snapshot(hall, now=now, leave_out=ticket_id)
    return prediction_from(snap, version, hall.pk, category=category, priority=priority, ticket_id=ticket_id)


def prediction_from(snap: engine.Snapshot, version: int | None, hall_id: int, *, category: str, priority: int = 0,
                    ticket_id: int | None = None) -> Prediction:
    """The estimate from a snapshot already read (`snapshot`, or bench_queue's hand-written path running
    the same statement): the ticket `ticket_id` takes its own place, else a new arrival joins now."""
    me = None
    if ticket_id is not None:
        for i, w in enumerate(snap.waiting):
            if w.order == ticket_id:
                me = snap.waiting.pop(i)
                break
    if me is None:
        me = engine.Waiting(category, priority, snap.now, NEW_ARRIVAL)
    params = model_params(hall_id, version)
    x, plain = engine.features(snap, me, params)
    estimate = engine.predict(x, params, virtual=plain["virtual"], ahead=plain["ahead"])
    classic = {k: round(float(plain[k])) for k in ("virtual", "les", "hol", "ql")}
    return Prediction(estimate, x, classic, version)


def estimate_for_ticket(ticket, *, now=None) -> engine.Estimate | None:
    """The current estimate for a waiting ticket (None once it is called or ended)."""
    if ticket.status != Ticket.Status.WAITING:
        return None
    category = ticket.category.prefix
    return predict(ticket.hall, category=category, priority=ticket.priority, ticket_id=ticket.pk, now=now).estimate


def predicted_wait_for_new_arrival(hall, *, now=None) -> int | None:
    """The longest estimate over the categories the open counters handle, for a customer arriving now
    (R-Q9: a surge shows in the predicted wait before it shows in anyone's waited time)."""
    now = now or timezone.now()
    snap, version = snapshot(hall, now=now)
    params = model_params(hall.pk, version)
    categories = sorted(set().union(*[c.categories for c in snap.counters if c.state == "open"])) if snap.counters else []
    longest = None
    for category in categories:
        me = engine.Waiting(category, 0, snap.now, NEW_ARRIVAL)
        x, plain = engine.features(snap, me, params)
        seconds = engine.predict(x, params, virtual=plain["virtual"]).seconds
        longest = seconds if longest is None else max(longest, seconds)
    return longest


# --- accuracy ----------------------------------------------------------------------------------------

def accuracy(hall, *, days: int = 30, now=None) -> dict:
    """MAE and range coverage of the hall's settled predictions over the last `days`, beside the
    classic predictors on the same tickets, with a row per day for the chart."""
    now = now or timezone.now()
    rows = list(
        WaitPrediction.objects.filter(hall_id=hall.pk, predicted_at__gte=now - dt.timedelta(days=days), actual_seconds__isnull=False)
        .order_by("predicted_at").values_list("predicted_at", "seconds", "low_seconds", "high_seconds", "actual_seconds", "classic", "calibrated")
    )
    total = defaultdict(float)
    per_day: dict[dt.date, dict] = {}
    covered = width = 0
    for at, seconds, low, high, actual, classic, _calibrated in rows:
        day = at.astimezone(hall.tz).date()
        d = per_day.setdefault(day, {"day": day, "n": 0, "abs": 0.0, "covered": 0, "les_abs": 0.0})
        d["n"] += 1
        d["abs"] += abs(seconds - actual)
        d["covered"] += low <= actual <= high
        d["les_abs"] += abs((classic or {}).get("les", 0) - actual)
        total["model"] += abs(seconds - actual)
        for name in ("les", "hol", "ql", "virtual"):
            total[name] += abs((classic or {}).get(name, 0) - actual)
        covered += low <= actual <= high
        width += high - low
    n = len(rows)
    mae = {name: round(value / n) if n else None for name, value in total.items()} if n else {}
    return {
        "n": n,
        "mae_seconds": mae.get("model"),
        "mae_classic": {name: mae.get(name) for name in ("les", "hol", "ql", "virtual")},
        "coverage": {"value": round(covered / n, 4) if n else None, "numerator": covered, "denominator": n},
        "mean_width_seconds": round(width / n) if n else None,
        "days": [
            {"day": d["day"], "n": d["n"], "mae_seconds": round(d["abs"] / d["n"]), "les_mae_seconds": round(d["les_abs"] / d["n"]),
             "coverage": round(d["covered"] / d["n"], 4)}
            for d in per_day.values()
        ],
    }


def current_model(hall) -> WaitModel | None:
    return WaitModel.objects.filter(hall_id=hall.pk).first()


# --- staffing advice ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class StaffingHour:
    hour: int
    forecast_arrivals: float
    mean_service_seconds: int
    counters_needed: int
    expected_wait_seconds: int | None
    service_level: float


def staffing_advice(hall, *, day: dt.date, weeks: int = 4, now=None) -> dict:
    """Counters needed per opening hour of `day` (Erlang C): arrivals forecast as the mean of the same
    weekday over the last `weeks` weeks (all days when that weekday has no history), the mean handling
    time of that hour over the same days, and the hall's service target (share served within the
    target wait, from its queue settings)."""
    settings = settings_for(hall)
    target, share = settings.surge_target_wait_seconds, float(settings.surge_target_share)
    calendar = hall.calendar()
    opening, closing = calendar.opening_of(day), calendar.closing_of(day)
    if opening is None:
        return {"day": day, "open": False, "hours": [], "target_wait_seconds": target, "target_share": share, "basis_days": 0}
    since = day - dt.timedelta(weeks=weeks)
    history = Ticket.objects.filter(hall_id=hall.pk, business_day__gte=since, business_day__lt=day, transferred_from__isnull=True)
    same_weekday = history.filter(business_day__week_day=(day.isoweekday() % 7) + 1)
    basis = same_weekday if same_weekday.exists() else history
    n_days = basis.values("business_day").distinct().count()
    tz = hall.tz
    arrivals = dict(
        basis.annotate(h=ExtractHour("issued_at", tzinfo=tz)).values("h").annotate(n=Count("id")).values_list("h", "n")
    )
    service_rows = Service.objects.filter(
        hall_id=hall.pk, started_at__date__gte=since, started_at__date__lt=day, handling_seconds__isnull=False
    ).annotate(h=ExtractHour("started_at", tzinfo=tz)).values("h").annotate(m=Avg("handling_seconds")).values_list("h", "m")
    means = {h: float(m) for h, m in service_rows}
    overall = Service.objects.filter(hall_id=hall.pk, started_at__date__gte=since, handling_seconds__isnull=False).aggregate(
        m=Avg("handling_seconds"))["m"] or engine.DEFAULT_SERVICE_SECONDS
    hours = []
    for hour in range(opening.astimezone(tz).hour, math.ceil((closing.astimezone(tz) - dt.timedelta(seconds=1)).hour + 1)):
        count = arrivals.get(hour, 0) / n_days if n_days else 0.0
        mean = means.get(hour, float(overall))
        rate = count / 3600.0
        needed = erlang.servers_needed(rate, mean, target_seconds=target, target_share=share) if count else 0
        wait = erlang.mean_wait_seconds(needed, rate, mean) if needed else None
        hours.append(StaffingHour(hour, round(count, 1), round(mean), needed,
                                  None if wait is None or math.isinf(wait) else round(wait),
                                  round(erlang.service_level(needed, rate, mean, target), 3) if needed else 1.0))
    return {"day": day, "open": True, "hours": hours, "target_wait_seconds": target, "target_share": share,
            "target_percent": round(share * 100), "basis_days": n_days,
            "same_weekday": basis is same_weekday, "peak_needed": max((h.counters_needed for h in hours), default=0),
            "counters_total": Counter.objects.filter(hall_id=hall.pk, is_active=True).count()}


def pending_watches(hall_id=None):
    from .models import QueueWatch

    qs = QueueWatch.objects.filter(done_at__isnull=True).select_related("ticket__category", "ticket__hall")
    return qs.filter(hall_id=hall_id) if hall_id is not None else qs

