"""Who may read the business catalogue (core.policy rules; groups from org.roles)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import ANY_STAFF, rule
from servicehall.org.models import Device
from servicehall.org.roles import FRONT_DESK

rule("catalogue.browse", label=_("查看业务目录"), roles={ANY_STAFF}, devices=Device.Kind.values)
# 一次性告知 at the desk: the front of the hall hands customers the printable list (their home panel).
rule("catalogue.tell_customers", label=_("一次性告知客户"), roles=FRONT_DESK)
