"""Who may do what in the organisation's pages and API (core.policy rules; groups from org.roles)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import ANY_STAFF, rule

from .models import Device
from .roles import ADMINS, OVERSIGHT

ALL_DEVICES = tuple(Device.Kind.values)

rule("org.halls", label=_("查看营业厅"), roles={ANY_STAFF}, devices=ALL_DEVICES)
rule("org.profile", label=_("查看本人信息"), roles={ANY_STAFF})
rule("org.audit_log", label=_("查看审计日志"), roles=OVERSIGHT)
rule("org.overview", label=_("查看组织概况"), roles=ADMINS)
