"""The allowed changes of inspections and rectification tasks, declared with core.transitions: action → from
statuses, to status, the policy action that may (inspections/policy.py), the typed event row it leaves.
Services move inspections through `INSPECTION` and tasks through `TASK`; pages draw their buttons from
`allowed(obj, user)`."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.transitions import KEEP, StateMachine, transition

from .models import Inspection, InspectionEvent, RectificationTask, TaskEvent

S = Inspection.Status
IE = InspectionEvent.Kind
T = RectificationTask.Status
TE = TaskEvent.Kind

INSPECTION = StateMachine(
    [
        transition("start", _("开始检查"), [S.PLANNED], S.IN_PROGRESS, "inspections.fill", event=IE.STARTED),
        transition("submit", _("提交"), [S.IN_PROGRESS], S.SUBMITTED, "inspections.fill", event=IE.SUBMITTED),
        transition("publish", _("发布结果"), [S.SUBMITTED], S.PUBLISHED, "inspections.publish", event=IE.PUBLISHED),
        transition("cancel", _("取消"), [S.PLANNED, S.IN_PROGRESS], S.CANCELLED, "inspections.cancel", event=IE.CANCELLED),
    ],
    event_model=InspectionEvent,
    subject_field="inspection",
)

TASK = StateMachine(
    [
        transition("submit", _("提交整改"), [T.OPEN], T.SUBMITTED, "inspections.work_task", event=TE.SUBMITTED),
        transition("verify", _("验证通过并关闭"), [T.SUBMITTED], T.CLOSED, "inspections.verify_task", event=TE.VERIFIED),
        transition("reject", _("退回重新整改"), [T.SUBMITTED], T.OPEN, "inspections.verify_task", event=TE.REJECTED),
        transition("reassign", _("更换责任人"), [T.OPEN, T.SUBMITTED], KEEP, "inspections.reassign_task", event=TE.REASSIGNED),
    ],
    event_model=TaskEvent,
    subject_field="task",
)
