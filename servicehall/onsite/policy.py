"""Who may do what in on-site management: meetings, handovers, the daily error record (core.policy rules;
groups from org.roles)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import rule
from servicehall.org.roles import HALL_MANAGERS, HALL_STAFF, STAFF, Role

# The 现场管理 section has one set of readers: everyone who works in or over the halls.
rule("onsite.read", label=_("查看现场管理记录"), roles=STAFF)
rule("onsite.host_meetings", label=_("主持班前/班后会"), roles=HALL_MANAGERS | {Role.SUPERVISOR})
# The hall's roster (厅堂人员) attends the meetings; it and the 所长 hand shifts over.
rule("onsite.attend_meetings", label=_("参加班前/班后会"), roles=HALL_STAFF)
rule("onsite.hand_over", label=_("交接班"), roles=HALL_STAFF | {Role.STATION_HEAD})
rule("onsite.record_errors", label=_("登记差错"), roles=HALL_MANAGERS | {Role.SUPERVISOR})
