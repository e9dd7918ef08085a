"""Who may read the notices sent (core.policy rules; groups from org.roles)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import rule
from servicehall.org.roles import HALL_OPERATIONS

rule("notices.list", label=_("查看通知记录"), roles=HALL_OPERATIONS)
