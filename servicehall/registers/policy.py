"""Who may do what with the hall registers (core.policy rules; groups from org.roles)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import rule
from servicehall.org.roles import CASHIERS, HALL_LEADERS, HALL_OPERATIONS, HALL_STAFF, STAFF


def leads_the_hall_and_did_not_ask(user, request) -> bool:
    """R-E3: the consent is the hall leader's of the request's own hall — one they are staff of, not one they
    see from a region — and never the requester's own (a leader asking needs another leader)."""
    return bool(HALL_LEADERS & set(user.role_codes)) and request.hall_id in _own_halls(user) and user.pk != request.requested_by_id


def _own_halls(user) -> frozenset[int]:
    """The halls a person is staff of (not the ones a region shows them), read once per user object: the
    leader's page asks this for every pending request."""
    cached = getattr(user, "_registers_own_halls", None)
    if cached is None:
        cached = frozenset(user.halls.values_list("pk", flat=True))
        user._registers_own_halls = cached
    return cached


def is_the_requester(user, request) -> bool:
    return user.pk == request.requested_by_id


rule("registers.read", label=_("查看安全与环境登记"), roles=STAFF)
# 收费员 keep the cash-box register (the 班长 standing in at the fee counter too).
rule("registers.cashbox", label=_("钱箱登记"), roles=CASHIERS)
# Anyone of the hall other than the cashier asks to enter the fee area or open a cash box.
rule("registers.access_request", label=_("申请进入收费区/开启钱箱"), roles=STAFF)
# ONLY the hall leader of that hall decides (R-E3): not a supervisor, not a leader of another hall, not the requester,
# not an administrator who is no leader of the hall.
rule("registers.access_decide", label=_("审批进入收费区/开启钱箱"), roles=HALL_LEADERS, when=leads_the_hall_and_did_not_ask,
     when_refusal=_("只有本营业厅的班长可以审批，且不能审批自己的申请。"))
rule("registers.access_enter", label=_("登记进出"), roles=STAFF, when=is_the_requester,
     when_refusal=_("只有申请人本人可以登记进出。"))
rule("registers.access_cancel", label=_("撤回申请"), roles=STAFF, when=is_the_requester,
     when_refusal=_("只有申请人本人可以撤回申请。"))
# The environment registers are kept by the hall's own people (the 大堂经理 overall).
rule("registers.environment", label=_("环境登记"), roles=HALL_STAFF)
rule("registers.owners", label=_("设置卫生责任区"), roles=HALL_OPERATIONS)
# The leader's desktop lists: missing days, open cash boxes, the export.
rule("registers.follow", label=_("督办安全与环境登记"), roles=HALL_OPERATIONS)
