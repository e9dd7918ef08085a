"""Complaint figures (R-C3, R-C4, R-C6; the staff score of R-A1 reads them from here), each defined once
with its numerator and denominator, per hall and per responsible member of staff, over a
`core.figures.Period` of the hall's business days. Other apps read these, never the cases models.

Counting rules, the same in the early warnings, the monthly report, its exports and the API:
- a case counts in the period when it was received (受理时间 `received_at`) within the hall's days, in
  the hall's own zone; a cancelled case counts nowhere;
- complaints received: cases of kind complaint; of those, *hall-responsible* (attributed to the hall),
  *not the hall's fault* (reported, kept out of the rate) and *pending attribution* (counted in the rate
  once attributed to the hall);
- complaint rate = hall-responsible complaints ÷ customers (queueing.figures.tickets_taken: a transfer's
  continuation is not a new customer) × 10 000, in 件/万笔.
"""
from dataclasses import dataclass, fields

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from servicehall.core.figures import PER_10K, PERCENT, Period, Rate
from servicehall.org.selectors import halls_for_figures, within_period
from servicehall.queueing import figures as queue_figures

from .models import Case, Kind, RevisitResult, Status

RATE_UNIT = _("件/万笔")


def received_in(halls, period: Period):
    """Cases received in the period in each hall's own days (cancelled ones excluded): the base of every
    count here and of the monthly report's breakdowns."""
    return Case.objects.filter(within_period(halls_for_figures(halls), period, "received_at")).exclude(status=Status.CANCELLED)


def rated_complaints(qs):
    """Complaints that count in a hall's rate: attributed to the hall. Complaints that are not the
    hall's fault are reported but kept out of the rate; one not attributed yet counts once it is."""
    return qs.filter(kind=Kind.COMPLAINT, hall_responsible=True).exclude(status=Status.CANCELLED)


@dataclass(frozen=True)
class ComplaintFigures:
    """One hall's (or, added up, several halls') complaint figures for a period."""

    received: int = 0
    hall_responsible: int = 0
    not_hall: int = 0
    pending: int = 0
    customers: int = 0

    @property
    def complaint_rate(self) -> Rate:
        return Rate(self.hall_responsible, self.customers, PER_10K, unit=RATE_UNIT)

    def __add__(self, other: "ComplaintFigures") -> "ComplaintFigures":
        return ComplaintFigures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def as_dict(self) -> dict:
        return {**{f.name: getattr(self, f.name) for f in fields(self)}, "complaint_rate": self.complaint_rate.as_dict()}


def hall_figures(halls, period: Period) -> dict[int, ComplaintFigures]:
    """Every given hall's complaint figures (zeros included): one GROUP BY over the cases, one over the tickets."""
    rows = halls_for_figures(halls)
    counts = {h.pk: {} for h in rows}
    for r in (
        received_in(rows, period).filter(kind=Kind.COMPLAINT).values("hall_id").annotate(
            n_received=Count("id"),
            n_hall=Count("id", filter=Q(hall_responsible=True)),
            n_not_hall=Count("id", filter=Q(hall_responsible=False)),
            n_pending=Count("id", filter=Q(hall_responsible__isnull=True)),
        ).order_by()
    ):
        # annotations named apart from the model's fields (an alias `hall_responsible` would shadow the field)
        counts[r["hall_id"]].update(received=r["n_received"], hall_responsible=r["n_hall"], not_hall=r["n_not_hall"], pending=r["n_pending"])
    customers = queue_figures.tickets_taken(rows, period)
    return {hid: ComplaintFigures(customers=customers[hid], **counts[hid]) for hid in counts}


@dataclass(frozen=True)
class StaffComplaints:
    """One responsible member of staff's complaints of a period: those that count against them (the hall's
    fault), those that are not the hall's fault (shown apart, never counted) and those not attributed yet."""

    hall_responsible: int = 0
    not_hall: int = 0
    pending: int = 0

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def staff_complaint_figures(halls, period: Period) -> dict[int, StaffComplaints]:
    """Complaints per responsible member of staff (user id) over the given halls, split by attribution."""
    return {
        r["responsible_staff_id"]: StaffComplaints(hall_responsible=r["n_hall"], not_hall=r["n_not_hall"], pending=r["n_pending"])
        for r in received_in(halls, period).filter(kind=Kind.COMPLAINT, responsible_staff__isnull=False)
        .values("responsible_staff_id").annotate(
            n_hall=Count("id", filter=Q(hall_responsible=True)),
            n_not_hall=Count("id", filter=Q(hall_responsible=False)),
            n_pending=Count("id", filter=Q(hall_responsible__isnull=True)),
        ).order_by()
    }


def staff_complaints(halls, period: Period, person_id: int):
    """The rows behind one person's `StaffComplaints`: their complaints received in the period, every attribution."""
    return (
        received_in(halls, period).filter(kind=Kind.COMPLAINT, responsible_staff_id=person_id)
        .select_related("hall").order_by("received_at", "id")
    )


@dataclass(frozen=True)
class RevisitFigures:
    """One hall's telephone revisits of a period: customers reached, of them satisfied, and those not reached."""

    reached: int = 0
    satisfied: int = 0
    unreachable: int = 0

    @property
    def satisfaction(self) -> Rate:
        return Rate(self.satisfied, self.reached, PERCENT)

    def as_dict(self) -> dict:
        return {**{f.name: getattr(self, f.name) for f in fields(self)}, "satisfaction": self.satisfaction.as_dict()}


def revisited_cases(halls, period: Period):
    """The rows behind `revisit_figures`: cases revisited in the period in each hall's own days."""
    return (
        Case.objects.filter(within_period(halls_for_figures(halls), period, "revisit_at")).exclude(status=Status.CANCELLED)
        .exclude(revisit_result="").select_related("hall").order_by("revisit_at", "id")
    )


def revisit_figures(halls, period: Period) -> dict[int, RevisitFigures]:
    """Every given hall's revisit figures (zeros included): one GROUP BY over the revisited cases."""
    rows = halls_for_figures(halls)
    out = {h.pk: RevisitFigures() for h in rows}
    good = (RevisitResult.SATISFIED, RevisitResult.BASIC)
    for r in revisited_cases(rows, period).values("hall_id").annotate(
        n_reached=Count("id", filter=~Q(revisit_result=RevisitResult.UNREACHABLE)),
        n_satisfied=Count("id", filter=Q(revisit_result__in=good)),
        n_unreachable=Count("id", filter=Q(revisit_result=RevisitResult.UNREACHABLE)),
    ).order_by():
        out[r["hall_id"]] = RevisitFigures(reached=r["n_reached"], satisfied=r["n_satisfied"], unreachable=r["n_unreachable"])
    return out
