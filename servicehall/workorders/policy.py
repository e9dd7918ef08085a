"""Who may do what with work orders and first-asked enquiries (core.policy rules; groups from org.roles).

Work orders are not `scoped` by the policy's one-hall test: a 联办 order belongs to two halls, and the one rule
for that is `selectors.in_order_scope` (services and pages ask it first and answer 404 outside it)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import rule
from servicehall.org.roles import COUNTER_STAFF, FRONT_DESK, HALL_MANAGERS, OVERSIGHT

from .selectors import in_order_scope

READERS = FRONT_DESK | HALL_MANAGERS | OVERSIGHT


def responsible(user, order) -> bool:
    """流程跟踪责任制: the responsible teller works their own order through its stages."""
    return order.teller_id == user.pk


def owns_enquiry(user, enquiry) -> bool:
    """首问负责制: the person who holds the enquiry now answers it or hands it over."""
    return enquiry.owner_id == user.pk


def offered_to(user, enquiry) -> bool:
    return enquiry.handover_to_id == user.pk


rule("workorders.list", label=_("查看工单"), roles=READERS)
rule("workorders.create", label=_("受理建单"), roles=COUNTER_STAFF | HALL_MANAGERS)
rule("workorders.handle", label=_("办理工单"), roles=HALL_MANAGERS, also=responsible, scoped=False, when=in_order_scope)
rule("workorders.reassign", label=_("变更责任柜员"), roles=HALL_MANAGERS, scoped=False, when=in_order_scope)
# The month-end flow report (流程报表, R-B4): who runs a hall or oversees halls, on the page and in Excel.
rule("workorders.report", label=_("查看流程报表"), roles=HALL_MANAGERS | OVERSIGHT)
rule("workorders.export_report", label=_("导出流程报表"), roles=HALL_MANAGERS | OVERSIGHT)

rule("workorders.enquiries", label=_("首问咨询"), roles=FRONT_DESK | HALL_MANAGERS)
rule("workorders.enquiry_open", label=_("登记首问咨询"), roles=FRONT_DESK)
# Only the holder answers or hands over; a hall manager does not take an enquiry away from them.
rule("workorders.enquiry_work", label=_("处理首问咨询"), also=owns_enquiry)
rule("workorders.enquiry_accept", label=_("接手咨询"), also=offered_to)
