"""Shared pieces of the star service tests: the formula, a served visit, the quarter of the frozen clock."""
import datetime as dt

from servicehall.queueing import services as queue
from servicehall.queueing.tests.backend_fixtures import OPEN_MOMENT, category, open_counters, serve
from servicehall.stars import services

FORMULA = {"self_weight": 10, "peer_weight": 20, "leader_weight": 30, "customer_weight": 40, "points_per_flower": 2,
           "max_bonus": 10, "star1": 60, "star2": 70, "star3": 80, "star4": 90, "star5": 95}
QUARTER = dt.date(2026, 1, 1)  # OPEN_MOMENT (2 March 2026) is in the first quarter
__all__ = ["FORMULA", "OPEN_MOMENT", "QUARTER", "open_counters", "served_visit", "set_formula"]


def set_formula(org, **changes):
    return services.set_formula(company=org.company, values={**FORMULA, **changes}, by=org.user("admin"))


def served_visit(org, counter=None, *, teller="teller_a"):
    """A customer's ticket taken, called, served and finished at `counter` (open, `teller` signed on): (ticket, service)."""
    counter = counter or org.counters_a[0]
    ticket = queue.take_ticket(hall=counter.hall, category=category("A"))
    service = serve(org, counter, teller=teller)
    ticket.refresh_from_db()
    return ticket, service
