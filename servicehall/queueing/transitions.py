"""The ticket's and the counter's allowed state changes, declared with core.transitions.

A ticket moves by one conditional UPDATE on its current status (`apply_conditional`), so a change raced by
another counter changes nothing and is refused, and every change appends one typed `TicketEvent` in the same
transaction. The verbs check the counter actor themselves (`queue.operate_counter`, once per call on the hot
path), so ticket transitions carry no permission of their own. A counter's state (open, paused, closed) changes
under the counter's row lock; its transitions carry the permissions the console's buttons are drawn from.
"""
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from servicehall.core.errors import Conflict, DomainError
from servicehall.core.transitions import KEEP, StateMachine, transition

from .models import CounterState, Ticket, TicketEvent

S = Ticket.Status
K = TicketEvent.Kind
C = CounterState.State

TICKET = StateMachine(
    [
        transition(K.CALLED, pgettext_lazy("queue action", "叫号"), [S.WAITING], S.CALLED),
        transition(K.RECALLED, pgettext_lazy("queue action", "重呼"), [S.CALLED], S.CALLED),
        transition(K.NO_SHOW, pgettext_lazy("queue action", "过号"), [S.CALLED], S.NO_SHOW),
        transition(K.STARTED, pgettext_lazy("queue action", "开始办理"), [S.CALLED], S.SERVING),
        transition(K.FINISHED, pgettext_lazy("queue action", "办结"), [S.SERVING], S.DONE),
        transition(K.TRANSFERRED, pgettext_lazy("queue action", "转办"), [S.CALLED, S.SERVING], S.TRANSFERRED),
        transition(K.CANCELLED, pgettext_lazy("queue action", "取消"), [S.WAITING, S.CALLED], S.CANCELLED),
    ],
    event_model=TicketEvent,
    subject_field="ticket",
    refusals={
        K.CALLED: _("该票已被其他窗口叫走或不在等候中。"),
        K.RECALLED: _("只能重呼已叫号、尚未开始办理的票。"),
        K.NO_SHOW: _("只能将已叫号、尚未开始办理的票标记为过号。"),
        K.STARTED: _("只能对已叫号的票开始办理。"),
        K.FINISHED: _("该票不在办理中。"),
        K.TRANSFERRED: _("只能转办当前窗口已叫号或办理中的票。"),
        K.CANCELLED: _("该票已被叫号或已结束，不能取消。"),
    },
)


def _not_open(state) -> DomainError:
    """A counter that is not open answers why, with a code a counter terminal can act on."""
    if state.state == C.PAUSED:
        return DomainError(_("窗口处于暂停服务状态，请先恢复服务。"), code="counter_paused", status=409)
    return DomainError(_("窗口尚未开放，请先签到开窗。"), code="counter_closed", status=409)


COUNTER = StateMachine(
    [
        transition("open", _("签到开窗"), [C.CLOSED], C.OPEN, "queue.sign_on"),
        transition("call_next", _("叫号"), [C.OPEN], KEEP, "queue.operate_counter"),
        transition("pause", _("暂停服务"), [C.OPEN], C.PAUSED, "queue.operate_counter"),
        transition("resume", _("恢复服务"), [C.PAUSED], C.OPEN, "queue.operate_counter"),
        transition("close", _("签退关窗"), [C.OPEN, C.PAUSED], C.CLOSED, "queue.operate_counter"),
    ],
    field="state",
    refusals={
        "open": lambda state: Conflict(_("该窗口已由其他柜员签到。"), code="counter_taken"),
        "call_next": _not_open,
        "pause": lambda state: Conflict(_("窗口已经处于暂停服务状态。"), code="already_paused") if state.state == C.PAUSED else _not_open(state),
        "resume": lambda state: Conflict(_("窗口没有处于暂停服务状态。"), code="not_paused"),
    },
)
