"""Reads of work orders and enquiries. The one scoping rule of work orders lives here: an order is seen by
whoever sees the hall that accepted it or the hall of the same city that handles it (同城异地业务联办)."""
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from servicehall.core import policy
from servicehall.core.errors import NotFound
from servicehall.core.privacy import mask_name
from servicehall.org.models import Hall, User
from servicehall.org.tenancy import hall_ids_for, visible

from .models import OPEN_STATUSES, Enquiry, EnquiryStatus, OrderStatus, WorkOrder


def _order_scope(hall_ids) -> Q:
    return Q(hall_id__in=hall_ids) | Q(handling_hall_id__in=hall_ids)


def in_order_scope(user, order) -> bool:
    """Whether `order` belongs to one of `user`'s halls: the accepting hall or the handling hall."""
    return bool(order.hall_ids & hall_ids_for(user))


def visible_orders(user):
    return WorkOrder.objects.filter(_order_scope(hall_ids_for(user)))


def require_order_scope(user, order):
    """Services: a write on an order outside both of its halls is answered as not found (nothing disclosed)."""
    if user is not None and not in_order_scope(user, order):
        raise NotFound()


def get_order_or_404(user, order_id) -> WorkOrder:
    try:
        return visible_orders(user).select_related("hall", "handling_hall", "business", "teller").get(pk=int(order_id))
    except (WorkOrder.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class OrderFilters:
    status: str = ""
    attention: bool = False
    mine: bool = False
    hall: int | None = None
    q: str = ""

    @classmethod
    def from_query(cls, query) -> "OrderFilters":
        status = query.get("status", "")
        hall = query.get("hall", "")
        return cls(
            status=status if status in {"open", *OrderStatus.values} else "",
            attention=query.get("attention") == "1",
            mine=query.get("mine") == "1",
            hall=int(hall) if hall.isdigit() else None,
            q=query.get("q", "").strip()[:60],
        )


def order_list(user, filters: OrderFilters):
    qs = visible_orders(user).select_related("hall", "handling_hall", "business", "teller")
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.attention:
        qs = qs.filter(reply_due_at__isnull=False)
    if filters.mine:
        qs = qs.filter(teller=user)
    if filters.hall:
        qs = qs.filter(_order_scope([filters.hall]))
    if filters.q:
        qs = qs.filter(Q(number__icontains=filters.q) | Q(customer_name__icontains=filters.q) | Q(business__name__icontains=filters.q))
    return qs.order_by("-accepted_at", "-id")


def needing_reply(user):
    """Stalled or terminated orders whose customer is owed a reply, most urgent first: a hall manager sees those
    of their halls, everyone else (the teller) their own."""
    qs = visible_orders(user).filter(reply_due_at__isnull=False).select_related("hall", "handling_hall", "business", "teller")
    if not policy.may(user, "workorders.reassign"):
        qs = qs.filter(teller=user)
    return qs.order_by("reply_due_at", "id")


def same_city_halls(hall) -> list[Hall]:
    """The other active halls of `hall`'s city (its region), where a 联办 order may be handled."""
    return list(Hall.objects.filter(region_id=hall.region_id, is_active=True).exclude(pk=hall.pk).order_by("code"))


def tellers_of(hall_ids) -> list[User]:
    """People who may be responsible for an order of these halls: the staff assigned to them."""
    return list(User.objects.filter(halls__in=list(hall_ids), is_active=True).distinct().order_by("username"))


# --- enquiries (首问负责制) ---------------------------------------------------------------------------

def visible_enquiries(user):
    return visible(Enquiry.objects.all(), user)


def get_enquiry_or_404(user, enquiry_id) -> Enquiry:
    try:
        return visible_enquiries(user).select_related("hall", "owner", "first_asked", "handover_to").get(pk=int(enquiry_id))
    except (Enquiry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def enquiry_list(user, *, state: str = "open", mine: bool = False):
    qs = visible_enquiries(user).select_related("hall", "owner", "first_asked", "handover_to")
    if state == "open":
        qs = qs.exclude(status=EnquiryStatus.SOLVED)
    elif state in EnquiryStatus.values:
        qs = qs.filter(status=state)
    if mine:
        qs = qs.filter(Q(owner=user) | Q(handover_to=user))
    return qs.order_by("-asked_at", "-id")


def offered_to_me(user):
    """Hand-overs waiting for `user` to accept or decline."""
    return visible_enquiries(user).filter(status=EnquiryStatus.HANDOVER, handover_to=user).select_related("owner")


def colleagues(hall) -> list[User]:
    """Who an enquiry of `hall` can be handed over to: the people assigned to that hall."""
    return list(User.objects.filter(halls=hall, is_active=True).order_by("username"))


@dataclass(frozen=True)
class CustomerOrder:
    """A work order as its customer may see it on the counter's screen (R-Q12): where it stands, with the
    customer's name and phone masked (R-P1)."""

    number: str
    business: str
    status: str
    status_label: str
    stage: str
    stage_no: int
    stages: int
    due_at: object
    name: str
    phone: str


def customer_orders(service_ids, *, hall_id) -> list[CustomerOrder]:
    """The orders accepted in the services of a customer's visit, and that customer's other open orders (same
    phone) accepted or handled in the hall, newest first."""
    own = list(WorkOrder.objects.filter(service_id__in=list(service_ids)).select_related("business"))
    phones = {o.customer_phone for o in own if o.customer_phone}
    others = (WorkOrder.objects.filter(Q(hall_id=hall_id) | Q(handling_hall_id=hall_id), customer_phone__in=phones, status__in=OPEN_STATUSES)
              .exclude(pk__in=[o.pk for o in own]).select_related("business")) if phones else []
    orders = sorted([*own, *others], key=lambda o: (o.accepted_at, o.pk), reverse=True)
    return [
        CustomerOrder(number=o.number, business=o.business.name, status=o.status, status_label=o.get_status_display(),
                      stage=o.stage_name, stage_no=min(o.stage_index + 1, len(o.stages)), stages=len(o.stages),
                      due_at=o.due_at if o.status in OPEN_STATUSES else None, name=mask_name(o.customer_name), phone=o.masked_phone)
        for o in orders
    ]
