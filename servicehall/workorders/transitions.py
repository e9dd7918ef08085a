"""The allowed changes of a work order and of a first-asked enquiry (core.transitions); each leaves a typed event."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.transitions import KEEP, StateMachine, transition

from .models import EnquiryEvent, EnquiryStatus, OrderStatus, WorkOrderEvent

K = WorkOrderEvent.Kind
OPEN = (OrderStatus.ACTIVE, OrderStatus.WAITING)

ORDERS = StateMachine(
    [
        # The last stage's advance completes the order: the verb chooses the target.
        transition("advance", _("完成当前环节"), [OrderStatus.ACTIVE], OrderStatus.ACTIVE, "workorders.handle", event=K.ADVANCED),
        transition("wait", _("等待客户（暂停计时）"), [OrderStatus.ACTIVE], OrderStatus.WAITING, "workorders.handle", event=K.WAITING),
        transition("resume", _("恢复办理"), [OrderStatus.WAITING], OrderStatus.ACTIVE, "workorders.handle", event=K.RESUMED),
        transition("terminate", _("终止工单"), OPEN, OrderStatus.TERMINATED, "workorders.handle", event=K.TERMINATED),
        transition("reply", _("答复客户"), [*OPEN, OrderStatus.TERMINATED], KEEP, "workorders.handle", event=K.REPLIED),
        transition("reassign", _("变更责任柜员"), OPEN, KEEP, "workorders.reassign", event=K.REASSIGNED),
    ],
    event_model=WorkOrderEvent,
    subject_field="order",
)

E = EnquiryEvent.Kind

ENQUIRIES = StateMachine(
    [
        transition("hand_over", _("移交"), [EnquiryStatus.OPEN], EnquiryStatus.HANDOVER, "workorders.enquiry_work", event=E.HANDOVER_OFFERED),
        transition("withdraw", _("撤回移交"), [EnquiryStatus.HANDOVER], EnquiryStatus.OPEN, "workorders.enquiry_work",
                   event=E.HANDOVER_WITHDRAWN),
        transition("accept", _("接手"), [EnquiryStatus.HANDOVER], EnquiryStatus.OPEN, "workorders.enquiry_accept", event=E.HANDOVER_ACCEPTED),
        transition("decline", _("拒绝接手"), [EnquiryStatus.HANDOVER], EnquiryStatus.OPEN, "workorders.enquiry_accept",
                   event=E.HANDOVER_DECLINED),
        transition("solve", _("已解决"), [EnquiryStatus.OPEN, EnquiryStatus.HANDOVER], EnquiryStatus.SOLVED, "workorders.enquiry_work",
                   event=E.SOLVED),
    ],
    event_model=EnquiryEvent,
    subject_field="enquiry",
)
