"""A counter signs on and off, pauses and resumes (R-Q5 离席亮牌)."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, hooks
from servicehall.core.errors import Conflict, DomainError

from ..models import CounterPause, CounterState, PauseReason
from ..transitions import COUNTER
from ._shared import _check_counter_actor, _current, _lock_state, _payload_counter, _publish


def open_counter(*, counter, by, now=None) -> CounterState:
    """A teller signs on at a counter (it starts calling)."""
    now = now or timezone.now()
    if by is None:
        raise DomainError(_("开窗需要柜员签到。"), code="teller_required")
    _check_counter_actor(counter, by)
    if not counter.is_active:
        raise DomainError(_("该窗口已停用。"), code="counter_inactive", status=409)
    # Gates of other domains (assessment's 待岗: a failed exam, missing required training) refuse with their reason.
    refusal = next((r for r in hooks.emit("queue.sign_on", person=by, counter=counter, now=now) if r), None)
    if refusal:
        raise DomainError(refusal, code="suspended", status=409)
    with transaction.atomic():
        state = _lock_state(counter)
        if state.state != CounterState.State.CLOSED and state.teller_id == by.pk:
            return state  # signing on twice is harmless
        before = audit.snapshot(state, ["state", "teller"])
        COUNTER.apply(state, "open", by)
        state.teller, state.since, state.pause_reason = by, now, ""
        state.save(update_fields=["state", "teller", "since", "pause_reason"])
        audit.record(actor=by, obj=state, action="queue.counter_open", before=before, after=audit.snapshot(state, ["state", "teller"]))
        _publish(counter.hall_id, "counter_opened", counter=_payload_counter(counter, state.state), teller=str(by))
    return state


def close_counter(*, counter, by, now=None) -> CounterState:
    now = now or timezone.now()
    _check_counter_actor(counter, by)
    with transaction.atomic():
        state = _lock_state(counter)
        if _current(counter) is not None:
            raise Conflict(_("窗口还有叫号或办理中的客户，请先办结或转办。"), code="counter_busy")
        if state.state == CounterState.State.CLOSED:
            return state
        before = audit.snapshot(state, ["state", "teller"])
        COUNTER.apply(state, "close", by)
        CounterPause.objects.filter(counter_id=counter.pk, ended_at__isnull=True).update(ended_at=now)
        state.teller, state.since, state.pause_reason = None, now, ""
        state.save(update_fields=["state", "teller", "since", "pause_reason"])
        audit.record(actor=by, obj=state, action="queue.counter_close", before=before, after=audit.snapshot(state, ["state", "teller"]))
        _publish(counter.hall_id, "counter_closed", counter=_payload_counter(counter, state.state))
    return state


def pause_counter(*, counter, by, reason, now=None) -> CounterPause:
    """R-Q5 离席亮牌: the counter shows 暂停服务 and the pause is recorded with its reason."""
    now = now or timezone.now()
    _check_counter_actor(counter, by)
    if reason not in PauseReason.values:
        raise DomainError(_("请选择暂停原因。"), code="unknown_pause_reason", field="reason")
    with transaction.atomic():
        state = _lock_state(counter)
        COUNTER.check(state, "pause", by)
        if _current(counter) is not None:
            raise Conflict(_("请先办结或转办当前客户，再暂停服务。"), code="counter_busy")
        pause = CounterPause.objects.create(
            hall_id=counter.hall_id, counter=counter, teller=state.teller or by, reason=reason, started_at=now
        )
        COUNTER.apply(state, "pause", by)
        state.since, state.pause_reason = now, reason
        state.save(update_fields=["state", "since", "pause_reason"])
        audit.record(actor=by, obj=pause, action="queue.counter_pause", after=audit.snapshot(pause))
        _publish(counter.hall_id, "counter_paused", counter=_payload_counter(counter, state.state), reason=reason)
    return pause


def resume_counter(*, counter, by, now=None) -> CounterPause:
    now = now or timezone.now()
    _check_counter_actor(counter, by)
    with transaction.atomic():
        state = _lock_state(counter)
        COUNTER.check(state, "resume", by)
        pause = CounterPause.objects.filter(counter_id=counter.pk, ended_at__isnull=True).first()
        if pause is None:  # state says paused but the record is missing: write one so the record stays whole
            pause = CounterPause.objects.create(
                hall_id=counter.hall_id, counter=counter, teller=state.teller, reason=state.pause_reason or PauseReason.OTHER,
                started_at=state.since or now,
            )
        before = audit.snapshot(pause, ["ended_at"])
        pause.ended_at = now
        pause.save(update_fields=["ended_at"])
        COUNTER.apply(state, "resume", by)
        state.since, state.pause_reason = now, ""
        state.save(update_fields=["state", "since", "pause_reason"])
        audit.record(actor=by, obj=pause, action="queue.counter_resume", before=before, after=audit.snapshot(pause, ["ended_at"]))
        _publish(counter.hall_id, "counter_resumed", counter=_payload_counter(counter, state.state),
                 pause_seconds=pause.duration_seconds)
    return pause
