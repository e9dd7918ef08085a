"""The training record (R-T1): planned → entered (attendance and results submitted) → approved or refused; a
refused record is corrected and submitted again. Declared with core.transitions."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.transitions import StateMachine, transition

from .models import TrainingEvent, TrainingStatus

E, S = TrainingEvent.Kind, TrainingStatus

TRAININGS = StateMachine(
    [
        transition("submit", _("提交审核"), [S.PLANNED, S.REFUSED], S.ENTERED, "training.enter", event=E.SUBMITTED),
        transition("approve", _("审核通过"), [S.ENTERED], S.APPROVED, "training.approve", event=E.APPROVED),
        transition("refuse", _("退回"), [S.ENTERED], S.REFUSED, "training.approve", event=E.REFUSED),
    ],
    event_model=TrainingEvent,
    subject_field="training",
)
