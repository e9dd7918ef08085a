"""The allowed changes of an access request (R-E3), declared with core.transitions: requested → approved or
refused by the hall leader; approved → entered → left by the requester; requested or approved → cancelled by
the requester. Pages draw their buttons from `ACCESS.allowed(request, user)`."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.transitions import StateMachine, transition

from .models import AccessEvent, AccessRequest

S = AccessRequest.Status
E = AccessEvent.Kind

ACCESS = StateMachine(
    [
        transition("approve", _("批准"), [S.REQUESTED], S.APPROVED, "registers.access_decide", event=E.APPROVED),
        transition("refuse", _("拒绝"), [S.REQUESTED], S.REFUSED, "registers.access_decide", event=E.REFUSED),
        transition("enter", _("已进入"), [S.APPROVED], S.ENTERED, "registers.access_enter", event=E.ENTERED),
        transition("leave", _("已离开"), [S.ENTERED], S.LEFT, "registers.access_enter", event=E.LEFT),
        transition("cancel", _("撤回申请"), [S.REQUESTED, S.APPROVED], S.CANCELLED, "registers.access_cancel", event=E.CANCELLED),
    ],
    event_model=AccessEvent,
    subject_field="request",
)
