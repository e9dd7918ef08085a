"""Scope probes of the work-order and enquiry pages (see core/tests/test_scope_walker.py): each names an object
of hall B that a person of hall A must get 404 for."""
from servicehall.catalogue.models import BusinessType
from servicehall.core.testing import Probe
from servicehall.workorders import services


def order_b(org):
    order = services.create_order(hall=org.hall_b, business=BusinessType.objects.get(code="lv-res-new"), teller=org.user("teller_b"),
                                  by=None)
    return {"order_id": order.pk}


def enquiry_b(org):
    enquiry = services.open_enquiry(hall=org.hall_b, by=org.user("teller_b"), channel="counter", question="乙厅的咨询")
    return {"enquiry_id": enquiry.pk}


PROBES = {
    "workorders:order_detail": Probe(order_b, user="leader_a"),
    "workorders:order_action": Probe(lambda org: {**order_b(org), "action": "advance"}, user="leader_a", method="post",
                                     data=lambda org: {"note": "完成"}),
    "workorders:enquiry_detail": Probe(enquiry_b, user="teller_a"),
    "workorders:enquiry_action": Probe(lambda org: {**enquiry_b(org), "action": "solve"}, user="teller_a", method="post",
                                       data=lambda org: {"answer": "已答复"}),
}
EXEMPT: dict = {}
