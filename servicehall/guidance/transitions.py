"""The allowed changes of a booked callback (core.transitions): booked → done / failed, each leaving a typed event."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.transitions import StateMachine, transition

from .models import CallbackEvent, CallbackState

K = CallbackEvent.Kind

CALLBACKS = StateMachine(
    [
        transition("done", _("已回拨"), [CallbackState.BOOKED], CallbackState.DONE, "guidance.close_callback", event=K.DONE),
        transition("failed", _("未联系上"), [CallbackState.BOOKED], CallbackState.FAILED, "guidance.close_callback", event=K.FAILED),
    ],
    field="state",
    event_model=CallbackEvent,
    subject_field="callback",
)
