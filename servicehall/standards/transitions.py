"""An opening-hours request (R-S5): pending → approved or refused by the customer service centre, once."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.transitions import StateMachine, transition

from .models import HoursRequest

S = HoursRequest.Status

HOURS = StateMachine([
    transition("approve", _("批准"), [S.PENDING], S.APPROVED, "standards.approve_hours"),
    transition("refuse", _("不批准"), [S.PENDING], S.REFUSED, "standards.approve_hours"),
])
