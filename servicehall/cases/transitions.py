"""The allowed changes of a case (R-C2), declared with core.transitions: action → from statuses, to status,
the policy action that may, the typed CaseEvent it leaves. Services move cases through `CASES`; the
handling page shows the buttons `CASES.allowed(case, user)` gives."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.transitions import KEEP, StateMachine, transition

from .models import CaseEvent, Status

E = CaseEvent.Kind
WORKING = (Status.HANDLING, Status.FEEDBACK, Status.REVISIT)

CASES = StateMachine(
    [
        transition("accept", _("受理"), [Status.NEW], Status.HANDLING, "cases.manage", event=E.ACCEPTED),
        transition("assign", _("变更责任人"), [Status.NEW, *WORKING, Status.CLOSING], KEEP, "cases.manage", event=E.OWNER_CHANGED),
        transition("save_handling", _("记录处理过程"), [Status.HANDLING], KEEP, "cases.handle", event=E.HANDLING_SAVED),
        transition("finish_handling", _("处理完成"), [Status.HANDLING], Status.FEEDBACK, "cases.handle", event=E.HANDLED),
        transition("pause", _("暂停计时（等待客户）"), WORKING, KEEP, "cases.handle", event=E.CLOCK_PAUSED),
        transition("resume", _("恢复计时"), WORKING, KEEP, "cases.handle", event=E.CLOCK_RESUMED),
        # The target of feedback depends on the channel: a staff suggestion is answered, not revisited.
        transition("feedback", _("反馈客户"), [Status.FEEDBACK], Status.REVISIT, "cases.handle", event=E.FEEDBACK),
        transition("revisit", _("回访"), [Status.REVISIT], Status.CLOSING, "cases.handle", event=E.REVISITED),
        transition("reopen", _("回访不满意，重新处理"), [Status.REVISIT], Status.HANDLING, "cases.handle", event=E.REOPENED),
        transition("attribute", _("定责"), [*WORKING, Status.CLOSING], KEEP, "cases.manage", event=E.ATTRIBUTED),
        transition("close", _("结案"), [Status.CLOSING], Status.CLOSED, "cases.manage", event=E.CLOSED),
        transition("cancel", _("撤销"), [Status.NEW, Status.HANDLING], Status.CANCELLED, "cases.cancel", event=E.CANCELLED),
    ],
    event_model=CaseEvent,
    subject_field="case",
)
