"""The month cycle (R-A1): open → computed → under review → closed by the assessment group; a closed month
is reopened only as a new version (the closed one keeps its state). Declared with core.transitions."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.transitions import KEEP, StateMachine, transition

from .models import MonthEvent, MonthStatus

E, S = MonthEvent.Kind, MonthStatus

MONTHS = StateMachine(
    [
        transition("compute", _("计算得分"), [S.OPEN, S.COMPUTED, S.REVIEW], S.COMPUTED, "assessment.manage", event=E.COMPUTED),
        transition("start_review", _("发布复核"), [S.COMPUTED], S.REVIEW, "assessment.manage", event=E.REVIEW),
        transition("close", _("关闭考核月"), [S.REVIEW], S.CLOSED, "assessment.close", event=E.CLOSED),
        transition("reopen", _("重开（新版本）"), [S.CLOSED], KEEP, "assessment.reopen", event=E.REOPENED),
    ],
    event_model=MonthEvent,
    subject_field="month",
)
