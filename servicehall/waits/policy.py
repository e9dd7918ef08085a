"""Who may read the wait forecast (core.policy rules; groups from org.roles)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import rule
from servicehall.org.roles import HALL_OPERATIONS

rule("waits.forecast", label=_("查看等候预测"), roles=HALL_OPERATIONS)
