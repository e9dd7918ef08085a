"""Who may do what in standards (core.policy rules; groups from org.roles): every member of staff reads the
library (on a phone at the counter too); administrators enter standards and publish new versions.
Opening hours (R-S5): a hall's managers (班长, 所长) request their hall's own hours; the customer service
centre approves — its 服务专责 (supervisor, scoped to the centre's region) or an administrator; the hall's
managers and the supervisor over it follow whether the hours are kept."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import ANY_STAFF, rule
from servicehall.org.roles import ADMINS, HALL_MANAGERS, HALL_OPERATIONS, Role

rule("standards.read", label=_("查阅服务标准"), roles={ANY_STAFF})
rule("standards.write", label=_("编写服务标准"), roles=ADMINS)
rule("standards.hours", label=_("查看营业时间申请与执行"), roles=HALL_OPERATIONS)
rule("standards.request_hours", label=_("申请营业时间"), roles=HALL_MANAGERS)
rule("standards.approve_hours", label=_("审批营业时间"), roles=ADMINS | {Role.SUPERVISOR})
