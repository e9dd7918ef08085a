"""Writes of the visit loop: one function per business verb (take a ticket, call, recall, no-show,
start, finish, transfer, pause, resume, rate, surge and over-limit sweeps). Each owns its transaction,
appends TicketEvent rows, writes audit rows for ticket, pause and rating changes, and publishes a live
event (an outbox row; PostgreSQL NOTIFY happens after commit in `core.live`).

One module per verb group; `from servicehall.queueing import services; services.call_next(...)` is the
way to call them. Importing the package registers the queue.* sweeps with core.deadlines.
"""
from ..selectors import settings_for
from .appointments import book_appointment
from .counters import close_counter, open_counter, pause_counter, resume_counter
from .priority import GRANT_MINUTES, grant_priority_code
from .rating import rate_at_counter, rate_service
from .surge import check_hall_surge, surge_recommendation
from .sweeps import check_surges, close_stale_tickets, flag_over_limit
from .tickets import allocate_number, cancel_ticket, resolve_category, take_ticket
from .visit import call_next, finish_service, mark_no_show, recall, start_service, transfer

__all__ = [
    "settings_for", "take_ticket", "cancel_ticket", "open_counter", "close_counter", "call_next", "recall", "mark_no_show",
    "start_service", "finish_service", "transfer", "pause_counter", "resume_counter", "rate_service", "rate_at_counter", "check_surges",
    "check_hall_surge", "flag_over_limit", "close_stale_tickets", "surge_recommendation", "allocate_number", "resolve_category",
    "book_appointment", "grant_priority_code", "GRANT_MINUTES",
]
