"""Who may do what at the guide desk (core.policy rules; groups from org.roles)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import ANY_STAFF, rule
from servicehall.core.privacy import revealable
from servicehall.org.roles import ADMINS, HALL_MANAGERS, HALL_OPERATIONS, Role
from servicehall.queueing.selectors import signed_on_teller_id

from .models import Callback, CallbackState, KeyCustomer

# 引导员 at the desk, and the 班长 standing in for them.
GUIDE_DESK = frozenset({Role.GUIDE, Role.HALL_LEADER}) | ADMINS


def booked_it(user, callback) -> bool:
    return callback.booked_by_id == user.pk


def calls_back(user, callback) -> bool:
    """R-P1: the guide who booked the callback calls the customer, while it is still to be made."""
    return booked_it(user, callback) and callback.state == CallbackState.BOOKED


rule("guidance.desk", label=_("引导台"), roles=GUIDE_DESK)
rule("guidance.callbacks", label=_("查看预约回拨"), roles=GUIDE_DESK | HALL_OPERATIONS)
rule("guidance.book_callback", label=_("预约回拨"), roles=GUIDE_DESK)
# The guide who booked it records how the call went; a hall manager closes one the guide left.
rule("guidance.close_callback", label=_("记录回拨结果"), roles=HALL_MANAGERS, also=booked_it)
rule("guidance.reveal_phone", label=_("查看客户完整号码"), roles={ANY_STAFF}, when=calls_back,
     when_refusal=_("只有预约该回拨的引导员在回拨前可以查看客户完整号码。"))
revealable(Callback, field="phone", action="guidance.reveal_phone")
rule("guidance.errors", label=_("查看引导差错"), roles=GUIDE_DESK | HALL_OPERATIONS)
rule("guidance.record_error", label=_("记录引导差错"), roles=GUIDE_DESK | HALL_MANAGERS)
# The account manager calls their key customer; nobody else needs the number.
rule("guidance.reveal_key_customer_phone", label=_("查看大客户完整号码"), roles={ANY_STAFF},
     when=lambda user, customer: customer.account_manager_id == user.pk,
     when_refusal=_("只有该大客户的客户经理可以查看其完整号码。"))
revealable(KeyCustomer, field="phone", action="guidance.reveal_key_customer_phone")
# 我的大客户 on the home page: any member of staff may be named a key customer's account manager.
rule("guidance.key_customers", label=_("我的大客户"), roles={ANY_STAFF})


def serves_ticket(user, draft) -> bool:
    """The teller signed on at the counter that has called, or is serving, the draft's ticket (R-P1: the full ID
    number and phone are for the person who has the customer and their documents in front of them)."""
    ticket = draft.ticket
    return (ticket.status in ("called", "serving") and ticket.counter_id is not None
            and signed_on_teller_id(ticket.counter_id) == user.pk)


# The guide pre-fills the business's application form from the customer's documents and takes their ticket.
rule("guidance.prefill_form", label=_("预填申请表"), roles=GUIDE_DESK)
rule("guidance.print_form", label=_("打印申请表"), roles={ANY_STAFF}, when=serves_ticket,
     when_refusal=_("只有正在为该票号办理的柜员可以打印申请表。"))
rule("guidance.correct_form", label=_("更正申请表"), roles={ANY_STAFF}, when=serves_ticket,
     when_refusal=_("只有正在为该票号办理的柜员可以更正申请表。"))
