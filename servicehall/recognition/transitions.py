"""The ballot's life (R-A4): open → closed (no more votes; the tally becomes readable to the hall's managers)
→ published (the winners get the title and the team board shows them). Declared with core.transitions."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.transitions import StateMachine, transition

from .models import BallotEvent, BallotStatus

S, E = BallotStatus, BallotEvent.Kind

BALLOTS = StateMachine(
    [
        transition("close", _("截止投票"), [S.OPEN], S.CLOSED, "recognition.run_ballot", event=E.CLOSED),
        transition("publish", _("公布结果"), [S.CLOSED], S.PUBLISHED, "recognition.run_ballot", event=E.PUBLISHED),
    ],
    event_model=BallotEvent,
    subject_field="ballot",
)
