"""Inspection figures (R-I3, R-I4, R-S2; the morning meeting and the staff score of R-A1 read them from
here), each defined once with its numerator and denominator, per hall, over a `core.figures.Period` of
the hall's business days. Other apps read these, never the inspections models.

Counting rules:
- only the service-quality checks count (`models.SERVICE_CHECK_KINDS`: patrols, open inspections, mystery
  visits); security checks and expert sheets have figures of their own in the apps that schedule them;
- an inspection counts when its result is published (an unpublished mystery visit is not a result yet)
  and was submitted within the hall's days; pass rate = passed ÷ published inspections; average score
  over the scored ones (2 places);
- patrols: the slots of the period's business days whose window has ended by `now`; on-time rate =
  done in the window ÷ slots due (a late patrol is done but not on time; a missed one is neither);
- security checks (R-E3): the slots of the hall's security schedules whose due time fell in the period and
  has passed by `now`; on time = done by the due time, late = done after it, missed = not done; on-time
  rate = on time ÷ due. Their pass figures are `inspection_figures(halls, period, kinds=[InspectionKind.SECURITY])`;
- rectification tasks: those raised in the period; closed rate = closed ÷ raised; on-time rate = closed
  without ever being overdue ÷ closed.
"""
import datetime as dt
from dataclasses import dataclass, field, fields

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from servicehall.core.figures import PERCENT, Mean, Period, Rate
from servicehall.org.selectors import halls_for_figures, within_period

from .models import SERVICE_CHECK_KINDS, Inspection, InspectionKind, PatrolSlot, RectificationTask, SecurityCheckSlot

SCORE_PLACES = 2
# The expert's capability scoring sheets (R-A5): `kinds=EXPERT_KINDS` reads their figures, keyed "expert".
EXPERT_KINDS = (InspectionKind.EXPERT,)


@dataclass(frozen=True)
class InspectionFigures:
    inspections: int = 0
    passed: int = 0
    critical_failed: int = 0
    score: Mean = field(default_factory=lambda: Mean(0, 0, SCORE_PLACES))

    @property
    def pass_rate(self) -> Rate:
        return Rate(self.passed, self.inspections, PERCENT)

    def __add__(self, other: "InspectionFigures") -> "InspectionFigures":
        return InspectionFigures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def as_dict(self) -> dict:
        return {"inspections": self.inspections, "passed": self.passed, "critical_failed": self.critical_failed,
                "score": self.score.as_dict(), "pass_rate": self.pass_rate.as_dict()}


@dataclass(frozen=True)
class DueCheckFigures:
    """Checks that fall due on the hall's clock — the daily patrols, the periodic security checks: how many were
    due, done on time, done late, missed; on-time rate = on time ÷ due."""

    due: int = 0
    on_time: int = 0
    late: int = 0
    missed: int = 0

    @property
    def on_time_rate(self) -> Rate:
        return Rate(self.on_time, self.due, PERCENT)

    def as_dict(self) -> dict:
        return {**{f.name: getattr(self, f.name) for f in fields(self)}, "on_time_rate": self.on_time_rate.as_dict()}


@dataclass(frozen=True)
class TaskFigures:
    raised: int = 0
    closed: int = 0
    closed_on_time: int = 0
    overdue: int = 0  # raised in the period and overdue at some point

    @property
    def still_open(self) -> int:
        return self.raised - self.closed

    @property
    def closed_rate(self) -> Rate:
        return Rate(self.closed, self.raised, PERCENT)

    @property
    def on_time_rate(self) -> Rate:
        return Rate(self.closed_on_time, self.closed, PERCENT)

    def as_dict(self) -> dict:
        return {**{f.name: getattr(self, f.name) for f in fields(self)}, "still_open": self.still_open,
                "closed_rate": self.closed_rate.as_dict(), "on_time_rate": self.on_time_rate.as_dict()}


@dataclass(frozen=True)
class HallInspectionFigures:
    """One hall's inspection figures for a period: all published results, the same per kind, patrols, tasks."""

    overall: InspectionFigures
    by_kind: dict  # service-check kind value → InspectionFigures (every such kind present)
    patrols: DueCheckFigures
    tasks: TaskFigures


def _published(rows, period: Period, kinds):
    return Inspection.objects.filter(within_period(rows, period, "submitted_at"), status=Inspection.Status.PUBLISHED, kind__in=kinds)


def inspection_figures(halls, period: Period, *, kinds=SERVICE_CHECK_KINDS) -> dict[int, dict[str, InspectionFigures]]:
    """Per hall, per kind of `kinds`: published results submitted in the period (every kind present, zeros included)."""
    rows = halls_for_figures(halls)
    out = {h.pk: {str(k): InspectionFigures() for k in kinds} for h in rows}
    published = _published(rows, period, kinds)
    for r in published.values("hall_id", "kind").annotate(
        n=Count("id"), n_passed=Count("id", filter=Q(passed=True)), critical=Count("id", filter=Q(critical_failed=True)),
        score_total=Sum("score"), scored=Count("score"),
    ).order_by():
        out[r["hall_id"]][r["kind"]] = InspectionFigures(
            inspections=r["n"], passed=r["n_passed"], critical_failed=r["critical"],
            score=Mean(r["score_total"] or 0, r["scored"], SCORE_PLACES),
        )
    return out


def _per_hall(rows, out: dict, make, **counts) -> dict:
    """`out` (every hall present, zeros) with each hall's `counts` over `rows` made into `make(**counts)`."""
    for r in rows.values("hall_id").annotate(**counts).order_by():
        hall_id = r.pop("hall_id")
        out[hall_id] = make(**r)
    return out


def patrol_figures(halls, period: Period, *, now: dt.datetime | None = None) -> dict[int, DueCheckFigures]:
    now = now or timezone.now()
    ids = [h.pk for h in halls_for_figures(halls)]
    out = {hid: DueCheckFigures() for hid in ids}
    slots = PatrolSlot.objects.filter(hall_id__in=ids, business_day__gte=period.first, business_day__lte=period.last, window_end__lte=now)
    return _per_hall(
        slots, out, DueCheckFigures,
        due=Count("id"),
        on_time=Count("id", filter=Q(done_at__isnull=False, missed_at__isnull=True)),
        late=Count("id", filter=Q(done_at__isnull=False, missed_at__isnull=False)),
        missed=Count("id", filter=Q(done_at__isnull=True, missed_at__isnull=False)),
    )


def security_check_figures(halls, period: Period, *, now: dt.datetime | None = None) -> dict[int, DueCheckFigures]:
    """Per hall: the security checks due in the period (due time passed by `now`), on time, late and missed."""
    now = now or timezone.now()
    rows = halls_for_figures(halls)
    out = {h.pk: DueCheckFigures() for h in rows}
    slots = SecurityCheckSlot.objects.filter(within_period(rows, period, "due_at"), due_at__lte=now)
    return _per_hall(
        slots, out, DueCheckFigures,
        due=Count("id"),
        on_time=Count("id", filter=Q(done_at__lte=F("due_at"))),
        late=Count("id", filter=Q(done_at__gt=F("due_at"))),
        missed=Count("id", filter=Q(done_at__isnull=True)),
    )


def task_figures(halls, period: Period) -> dict[int, TaskFigures]:
    rows = halls_for_figures(halls)
    out = {h.pk: TaskFigures() for h in rows}
    closed = Q(status=RectificationTask.Status.CLOSED)
    return _per_hall(
        RectificationTask.objects.filter(within_period(rows, period, "created_at")), out, TaskFigures,
        raised=Count("id"), closed=Count("id", filter=closed),
        closed_on_time=Count("id", filter=closed & Q(overdue_at__isnull=True)),
        overdue=Count("id", filter=Q(overdue_at__isnull=False)),
    )


def hall_figures(halls, period: Period, *, now: dt.datetime | None = None) -> dict[int, HallInspectionFigures]:
    rows = halls_for_figures(halls)
    kinds = inspection_figures(rows, period)
    patrols = patrol_figures(rows, period, now=now)
    tasks = task_figures(rows, period)
    return {
        h.pk: HallInspectionFigures(
            overall=sum(kinds[h.pk].values(), InspectionFigures()), by_kind=kinds[h.pk], patrols=patrols[h.pk], tasks=tasks[h.pk],
        )
        for h in rows
    }


def published_inspections(halls, period: Period, *, kinds=SERVICE_CHECK_KINDS):
    """The rows behind `inspection_figures`: the published results of `kinds` submitted in the period."""
    return (
        _published(halls_for_figures(halls), period, kinds)
        .select_related("hall", "version__template").order_by("submitted_at", "id")
    )
