"""Who may do what in the visit loop (core.policy rules; groups from org.roles, device kinds from org.Device)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import ANY_STAFF, is_device, rule
from servicehall.org.models import Counter, Device
from servicehall.org.roles import ADMINS, COUNTER_STAFF, FRONT_DESK, HALL_MANAGERS, TELLERS, Role

K = Device.Kind


def bound_to_counter(actor, obj) -> bool:
    """A device acts only on the counter it is bound to (a counter terminal, an evaluation pad) when `obj` is
    a counter or a row of one (its state, a service); on its hall (a device page) its hall's scope decides."""
    if not is_device(actor):
        return True
    counter_id = obj.pk if isinstance(obj, Counter) else getattr(obj, "counter_id", None)
    return counter_id is None or actor.counter_id == counter_id


rule("queue.take_ticket", label=_("取号"), roles=FRONT_DESK, devices={K.KIOSK},
     refusal=_("只有营业厅工作人员可以代客户取号。"))
# An appointment is booked by the front of the hall for a customer (the guide desk), or by a kiosk or self-service
# terminal of the hall through the API (R-Q2, R-Q11).
rule("queue.book_appointment", label=_("预约"), roles=FRONT_DESK | HALL_MANAGERS, devices={K.KIOSK, K.SELF_SERVICE},
     refusal=_("只有营业厅工作人员或本厅的排队机、自助终端可以预约。"))
# 绿色通道 / VIP: the guide or the hall leader grants them (on a ticket they take, or by a one-time code) — never
# self-selected at the kiosk (R-Q2).
rule("queue.grant_priority", label=_("授权绿色通道或 VIP"), roles=frozenset({Role.GUIDE, Role.HALL_LEADER}) | ADMINS,
     refusal=_("绿色通道和 VIP 须由引导员或营业厅班长授权。"))
rule("queue.show_board", label=_("打开大厅显示屏"), roles={ANY_STAFF}, devices={K.BOARD})
rule("queue.read_queue", label=_("查看排队情况"), roles={ANY_STAFF}, devices={K.BOARD, K.KIOSK, K.COUNTER, K.PAD})
rule("queue.sign_on", label=_("签到开窗"), roles=COUNTER_STAFF, refusal=_("只有柜员或营业厅班长可以操作窗口。"))
rule("queue.operate_counter", label=_("操作窗口"), roles=COUNTER_STAFF, devices={K.COUNTER}, when=bound_to_counter,
     refusal=_("只有柜员或营业厅班长可以操作窗口。"))
rule("queue.serve_at_counter", label=_("在窗口办理业务"), roles=TELLERS)
# The pad rates its own counter's service; a hall leader may open a pad screen while setting it up.
rule("queue.rate_at_counter", label=_("评价本窗口的服务"), roles=HALL_MANAGERS, devices={K.PAD}, when=bound_to_counter,
     refusal=_("只有窗口评价器可以提交评价。"))
rule("queue.hall_live", label=_("查看厅堂实况"), roles=HALL_MANAGERS | {Role.SUPERVISOR})
rule("queue.devices", label=_("管理大厅设备"), roles=HALL_MANAGERS)
