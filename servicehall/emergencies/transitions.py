"""The allowed changes of an incident, declared with core.transitions: action → from statuses, to status, the
policy action that may (emergencies/policy.py), the typed event row it leaves. Pages draw their buttons from
`INCIDENT.allowed(incident, user)`."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.transitions import StateMachine, transition

from .models import Incident, IncidentEvent

S = Incident.Status
E = IncidentEvent.Kind

INCIDENT = StateMachine(
    [
        transition("acknowledge", _("确认接报"), [S.REPORTING], S.ACKNOWLEDGED, "emergencies.acknowledge", event=E.ACKNOWLEDGED),
        transition("escalate", _("向上一级上报"), [S.REPORTING, S.ACKNOWLEDGED], S.REPORTING, "emergencies.escalate", event=E.ESCALATED),
        transition("close", _("关闭事件"), [S.REPORTING, S.ACKNOWLEDGED], S.CLOSED, "emergencies.close", event=E.CLOSED),
    ],
    event_model=IncidentEvent,
    subject_field="incident",
)
