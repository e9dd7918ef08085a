"""Flow figures of work orders and first-asked enquiries (流程报表, R-B4), each defined once, per hall and per
responsible teller, over a `core.figures.Period` of the accepting hall's business days.

Counting rules (the report page, its Excel export and the tests read only these):
- an order belongs to the hall that accepted it (受理厅) and to its responsible teller; a 联办 order counts
  there too and is also counted as `joint`;
- accepted: accepted within the period; completed / terminated: finished so within the period;
- completed on time: completed without any stage having stalled (no stage ran past its deadline);
  on-time rate = completed on time ÷ completed;
- stalled: orders with a stage that ran past its deadline within the period (once per order);
- open at the end: accepted before the period's end and not finished by then;
- enquiries: asked within the period (counted for the person first asked), solved within the period
  (for the person who held it then), hand-overs accepted within the period.
"""
from dataclasses import dataclass, fields

from django.db.models import Count, Q

from servicehall.core.figures import PERCENT, Period, Rate
from servicehall.org.selectors import halls_for_figures, within_period

from .models import Enquiry, EnquiryEvent, EnquiryStatus, OrderStatus, WorkOrder, WorkOrderEvent


@dataclass(frozen=True)
class FlowFigures:
    accepted: int = 0
    joint: int = 0
    completed: int = 0
    completed_on_time: int = 0
    terminated: int = 0
    stalled: int = 0
    open_at_end: int = 0
    enquiries: int = 0
    enquiries_solved: int = 0
    handovers: int = 0

    @property
    def on_time_rate(self) -> Rate:
        return Rate(self.completed_on_time, self.completed, PERCENT)

    def __add__(self, other: "FlowFigures") -> "FlowFigures":
        return FlowFigures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def as_dict(self) -> dict:
        return {**{f.name: getattr(self, f.name) for f in fields(self)}, "on_time_rate": self.on_time_rate.as_dict()}


def _open_at_end(halls, period: Period) -> Q:
    condition = Q(pk__in=[])
    for hall in halls:
        end = hall.period_bounds(period)[1]
        condition |= Q(hall_id=hall.pk, accepted_at__lt=end) & (Q(finished_at__isnull=True) | Q(finished_at__gte=end))
    return condition


def _order_counts(halls, period: Period, group: str) -> dict:
    finished = within_period(halls, period, "finished_at")
    stalled_in = within_period(halls, period, "events__at") & Q(events__kind=WorkOrderEvent.Kind.STALLED)
    rows = WorkOrder.objects.filter(hall_id__in=[h.pk for h in halls]).values(group).annotate(
        n_accepted=Count("id", distinct=True, filter=within_period(halls, period, "accepted_at")),
        n_joint=Count("id", distinct=True, filter=within_period(halls, period, "accepted_at") & Q(handling_hall__isnull=False)),
        n_completed=Count("id", distinct=True, filter=finished & Q(status=OrderStatus.COMPLETED)),
        n_on_time=Count("id", distinct=True, filter=finished & Q(status=OrderStatus.COMPLETED, stalled_count=0)),
        n_terminated=Count("id", distinct=True, filter=finished & Q(status=OrderStatus.TERMINATED)),
        n_stalled=Count("id", distinct=True, filter=stalled_in),
        n_open=Count("id", distinct=True, filter=_open_at_end(halls, period)),
    ).order_by()
    return {r[group]: {"accepted": r["n_accepted"], "joint": r["n_joint"], "completed": r["n_completed"],
                       "completed_on_time": r["n_on_time"], "terminated": r["n_terminated"], "stalled": r["n_stalled"],
                       "open_at_end": r["n_open"]} for r in rows}


def _enquiry_counts(halls, period: Period, *, asked_by: str, solved_by: str) -> dict:
    base = Enquiry.objects.filter(hall_id__in=[h.pk for h in halls])
    counts: dict = {}
    for key, n in base.filter(within_period(halls, period, "asked_at")).values_list(asked_by).annotate(n=Count("id")).order_by():
        counts.setdefault(key, {})["enquiries"] = n
    solved = base.filter(within_period(halls, period, "solved_at"), status=EnquiryStatus.SOLVED)
    for key, n in solved.values_list(solved_by).annotate(n=Count("id")).order_by():
        counts.setdefault(key, {})["enquiries_solved"] = n
    return counts


def hall_figures(halls, period: Period) -> dict[int, FlowFigures]:
    """Every given hall's flow figures (zeros included)."""
    rows = halls_for_figures(halls)
    counts = {h.pk: {} for h in rows}
    for hall_id, c in _order_counts(rows, period, "hall_id").items():
        counts[hall_id].update(c)
    for hall_id, c in _enquiry_counts(rows, period, asked_by="hall_id", solved_by="hall_id").items():
        counts[hall_id].update(c)
    handovers = EnquiryEvent.objects.filter(within_period(rows, period, "at"), kind=EnquiryEvent.Kind.HANDOVER_ACCEPTED)
    for hall_id, n in handovers.values_list("hall_id").annotate(n=Count("id")).order_by():
        counts[hall_id]["handovers"] = n
    return {hid: FlowFigures(**c) for hid, c in counts.items()}


def teller_figures(halls, period: Period) -> dict[int, FlowFigures]:
    """Flow figures per person (user id) over the given halls: the orders they are responsible for, the
    enquiries first asked to them, those they solved, and the hand-overs they accepted."""
    rows = halls_for_figures(halls)
    counts: dict[int, dict] = {}
    for user_id, c in _order_counts(rows, period, "teller_id").items():
        counts.setdefault(user_id, {}).update(c)
    for user_id, c in _enquiry_counts(rows, period, asked_by="first_asked_id", solved_by="owner_id").items():
        counts.setdefault(user_id, {}).update(c)
    handovers = EnquiryEvent.objects.filter(within_period(rows, period, "at"), kind=EnquiryEvent.Kind.HANDOVER_ACCEPTED)
    for user_id, n in handovers.values_list("by_id").annotate(n=Count("id")).order_by():
        if user_id is not None:
            counts.setdefault(user_id, {})["handovers"] = n
    return {uid: FlowFigures(**c) for uid, c in counts.items()}
