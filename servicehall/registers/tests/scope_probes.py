"""How the scope walker (core/tests/test_scope_walker.py) reaches the registers of hall B: people of hall A who
hold the route's action in their own hall get 404 for every route that names a register row of hall B."""
from servicehall.core.testing import Probe
from servicehall.registers import services


def _entry_b(org):
    return {"entry_id": services.open_cashbox(hall=org.hall_b, box="探针", by=org.user("teller_b")).pk}


def _request_b(org):
    return {"request_id": services.request_access(hall=org.hall_b, area="fee_area", reason="探针", by=org.user("teller_b")).pk}


def _owner_b(org):
    return {"owner_id": services.set_owner(hall=org.hall_b, area="探针", person_id=org.user("teller_b").pk, by=org.user("leader_b")).pk}


PROBES = {
    "registers:cashbox_close": Probe(_entry_b, user="teller_a", method="post"),
    "registers:access_request": Probe(_request_b, user="teller_a"),
    "registers:approve": Probe(_request_b, user="leader_a", method="post"),
    "registers:refuse": Probe(_request_b, user="leader_a", method="post"),
    "registers:enter": Probe(_request_b, user="teller_a", method="post"),
    "registers:leave": Probe(_request_b, user="teller_a", method="post"),
    "registers:cancel": Probe(_request_b, user="teller_a", method="post"),
    "registers:owner_remove": Probe(_owner_b, user="leader_a", method="post"),
}
EXEMPT: dict = {}
