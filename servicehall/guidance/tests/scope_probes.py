"""Scope probes of the guide desk pages (see core/tests/test_scope_walker.py): each names an object of hall B that a
person of hall A must get 404 for."""
import datetime as dt

from django.utils import timezone

from servicehall.catalogue.models import BusinessType
from servicehall.core.testing import Probe, make_user
from servicehall.guidance import services
from servicehall.guidance.models import FormDraft, KeyCustomer
from servicehall.org.models import User
from servicehall.queueing.models import Ticket


def guide_b(org):
    """The guide of hall B who books its call-backs (walkers call a probe more than once per test)."""
    return User.objects.filter(username="guide_b_probe").first() or make_user("guide_b_probe", ["guide"], halls=[org.hall_b])


def callback_b(org):
    callback = services.book_callback(hall=org.hall_b, by=guide_b(org), phone="13800138000", matter="乙厅的回拨",
                                      due_at=timezone.now() + dt.timedelta(hours=2))
    return {"callback_id": callback.pk}


def key_customer_b(org):
    customer, _ = KeyCustomer.objects.get_or_create(hall=org.hall_b, phone="13800138001",
                                                    defaults={"name": "乙厅大客户", "account_manager": org.user("leader_b")})
    return {"customer_id": customer.pk}


def form_draft_b(org):
    """A form pre-filled in hall B (rows made directly: the probe must not depend on the hall being open now)."""
    business = BusinessType.objects.get(code="lv-res-new")
    now = timezone.now()
    number = Ticket.objects.filter(hall=org.hall_b).count() + 1
    ticket = Ticket.objects.create(hall=org.hall_b, business_day=org.hall_b.today(now), category=business.category, number=number,
                                   code=f"{business.category.prefix}{number:03d}", queue_at=now, issued_at=now)
    draft = FormDraft.objects.create(hall=org.hall_b, business=business, ticket=ticket, values={"applicant": "乙厅客户"},
                                     created_by=guide_b(org), created_at=now)
    return {"draft_id": draft.pk}


PROBES = {
    "guidance:print_form": Probe(form_draft_b, user="teller_a", method="post"),
    "guidance:correct_form": Probe(form_draft_b, user="teller_a", method="post", data=lambda org: {"key": "applicant", "value": "甲"}),
    "guidance:reveal_key_customer_phone": Probe(key_customer_b, user="leader_a", method="post"),
    "guidance:reveal_phone": Probe(callback_b, user="guide_a", method="post"),
    "guidance:callback_action": Probe(lambda org: {**callback_b(org), "action": "done"}, user="guide_a", method="post",
                                      data=lambda org: {"outcome": "已回拨"}),
}
EXEMPT: dict = {}
