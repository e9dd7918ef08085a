"""Who may do what in standards (core.policy rules; groups from org.roles): every member of staff reads the
library (on a phone at the counter too); administrators enter standards and publish new versions."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import ANY_STAFF, rule
from servicehall.org.roles import ADMINS

rule("standards.read", label=_("查阅服务标准"), roles={ANY_STAFF})
rule("standards.write", label=_("编写服务标准"), roles=ADMINS)
