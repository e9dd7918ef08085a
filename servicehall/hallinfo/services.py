"""Writes of self-service and publicity: registering a terminal, its heartbeat (with faults raised
through `device.fault` in the same transaction), the missed-heartbeat sweep, and publishing or
withdrawing publicity material."""
import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, hooks, policy
from servicehall.core.deadlines import claim, register_sweep
from servicehall.core.errors import DomainError, Forbidden
from servicehall.org.models import Device

from .models import PublicityMaterial, SelfServiceTally, SelfServiceTerminal, TerminalEvent, TerminalKind

State = SelfServiceTerminal.State
# *(design)* a terminal that has not sent a heartbeat for this long (opening time, except in the
# 24-hour area) is faulty; `SERVICEHALL_HEARTBEAT_MINUTES` overrides it
DEFAULT_HEARTBEAT_MINUTES = 10

__all__ = ["register_terminal", "heartbeat", "flag_missing_heartbeats", "publish", "withdraw", "heartbeat_minutes"]


def heartbeat_minutes() -> int:
    return int(getattr(settings, "SERVICEHALL_HEARTBEAT_MINUTES", DEFAULT_HEARTBEAT_MINUTES))


def _due(terminal: SelfServiceTerminal, hall, now) -> dt.datetime:
    seconds = heartbeat_minutes() * 60
    if terminal.kind == TerminalKind.AREA_24H:
        return now + dt.timedelta(seconds=seconds)
    return hall.calendar().add_working_seconds(now, seconds)  # a terminal switched off at night is not faulty


def register_terminal(*, hall, kind: str, name: str, location: str = "", by=None) -> tuple[SelfServiceTerminal, str]:
    """A new self-service terminal of `hall` and its bearer token (shown once, like every device's)."""
    if kind not in TerminalKind.values:
        raise DomainError(_("未知的自助终端类型。"), field="kind")
    with transaction.atomic():
        device = Device(hall=hall, kind=Device.Kind.SELF_SERVICE, name=(name or "")[:60] or str(TerminalKind(kind).label))
        token = device.issue_token()
        device.save()
        terminal = SelfServiceTerminal.objects.create(hall=hall, device=device, kind=kind, location=(location or "")[:60])
        audit.record(actor=by, obj=terminal, action="hallinfo.register_terminal", after={"kind": kind, "device": device.pk})
    return terminal, token


def _fault(terminal: SelfServiceTerminal, *, kind: str, reason: str, now) -> None:
    """Mark the terminal faulty and raise the incident (R-E1: equipment failure) in this transaction."""
    SelfServiceTerminal.objects.filter(pk=terminal.pk).update(state=State.FAULT, fault_reason=reason[:200], fault_since=now, fault_raised_at=now)
    terminal.state, terminal.fault_reason, terminal.fault_since, terminal.fault_raised_at = State.FAULT, reason[:200], now, now
    TerminalEvent.objects.create(hall_id=terminal.hall_id, terminal=terminal, kind=kind, at=now, detail=reason[:200])
    audit.record(actor=None, obj=terminal, action=f"hallinfo.{kind}", after={"reason": reason[:200]})
    hooks.emit("device.fault", hall_id=terminal.hall_id, device=terminal.device, terminal=terminal, kind=kind, reason=reason[:200], at=now)


def heartbeat(*, device, status: str = "ok", fault: str = "", transactions_today: int | None = None, now=None) -> SelfServiceTerminal:
    """A terminal reports in: alive, optionally faulty (out of paper, cash box full…), and its count of
    transactions today. A reported fault raises `device.fault` once; the next good heartbeat clears it."""
    now = now or timezone.now()
    if device is None:
        raise Forbidden(_("只有自助终端可以发送心跳。"))
    policy.require(device, "hallinfo.heartbeat")
    if status not in ("ok", "fault"):
        raise DomainError(_("未知的终端状态。"), field="status")
    if transactions_today is not None and not 0 <= transactions_today <= 100_000:
        raise DomainError(_("办理笔数不正确。"), field="transactions_today")
    with transaction.atomic():
        terminal = SelfServiceTerminal.objects.select_for_update().select_related("hall", "device").filter(device=device, is_active=True).first()
        if terminal is None:
            raise DomainError(_("该设备未登记为自助终端。"), code="not_a_terminal", status=404)
        hall = terminal.hall
        was = terminal.state
        terminal.last_heartbeat_at, terminal.heartbeat_due_at = now, _due(terminal, hall, now)
        SelfServiceTerminal.objects.filter(pk=terminal.pk).update(last_heartbeat_at=now, heartbeat_due_at=terminal.heartbeat_due_at)
        if status == "fault":
            if was != State.FAULT:
                _fault(terminal, kind=TerminalEvent.Kind.REPORTED_FAULT, reason=fault or _("终端报告故障"), now=now)
        elif was != State.OK:
            SelfServiceTerminal.objects.filter(pk=terminal.pk).update(state=State.OK, fault_reason="", fault_since=None, fault_raised_at=None)
            terminal.state, terminal.fault_reason, terminal.fault_since, terminal.fault_raised_at = State.OK, "", None, None
            if was == State.FAULT:
                TerminalEvent.objects.create(hall_id=terminal.hall_id, terminal=terminal, kind=TerminalEvent.Kind.RECOVERED, at=now)
                audit.record(actor=None, obj=terminal, action="hallinfo.recovered", after={"state": State.OK})
                hooks.emit("device.recovered", hall_id=terminal.hall_id, device=terminal.device, terminal=terminal, at=now)
        if transactions_today is not None:
            day = hall.today(now)
            try:
                with transaction.atomic():
                    SelfServiceTally.objects.create(hall_id=hall.pk, terminal=terminal, day=day, transactions=transactions_today)
            except IntegrityError:  # the day's row exists: keep the highest count reported (a retried heartbeat is harmless)
                SelfServiceTally.objects.filter(terminal=terminal, day=day, transactions__lt=transactions_today).update(
                    transactions=transactions_today)
    return terminal


def _missing(pk: int, now) -> None:
    terminal = SelfServiceTerminal.objects.select_related("device").get(pk=pk)
    last = timezone.localtime(terminal.last_heartbeat_at).strftime("%H:%M") if terminal.last_heartbeat_at else "—"
    _fault(terminal, kind=TerminalEvent.Kind.HEARTBEAT_MISSING,
           reason=_("%(n)s 分钟未收到心跳（最近一次 %(last)s）") % {"n": heartbeat_minutes(), "last": last}, now=now)


@register_sweep("hallinfo.heartbeats")
def flag_missing_heartbeats(now=None) -> int:
    """Terminals whose heartbeat is overdue become faulty, once per outage (claimed with `fault_raised_at`,
    in the same transaction as the incident it raises)."""
    now = now or timezone.now()
    return len(claim(SelfServiceTerminal.objects.filter(is_active=True), due_field="heartbeat_due_at", marker_field="fault_raised_at",
                     now=now, act=lambda pk: _missing(pk, now)))


# --- publicity -------------------------------------------------------------------------------------

def publish(*, hall, by, template=None, kind: str, title: str, body: str, starts_at, expires_at, on_board=True, on_kiosk=True,
            now=None) -> PublicityMaterial:
    """Put one item of publicity on the board and/or the kiosk's idle screen for a limited time."""
    now = now or timezone.now()
    policy.require(by, "hallinfo.publish", hall)
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise DomainError(_("请填写标题和内容。"), field="title")
    if kind not in {k for k, _label in PublicityMaterial._meta.get_field("kind").choices}:
        raise DomainError(_("未知的宣传类别。"), field="kind")
    if expires_at <= starts_at:
        raise DomainError(_("有效期必须晚于开始展示时间。"), field="expires_at")
    if not (on_board or on_kiosk):
        raise DomainError(_("请至少选择一个展示位置。"), field="on_board")
    with transaction.atomic():
        material = PublicityMaterial.objects.create(
            hall=hall, template=template, kind=kind, title=title[:80], body=body[:4000], starts_at=starts_at, expires_at=expires_at,
            on_board=on_board, on_kiosk=on_kiosk, created_by=by, created_at=now,
        )
        audit.record(actor=by, obj=material, action="hallinfo.publish",
                     after=audit.snapshot(material, ["kind", "title", "starts_at", "expires_at", "on_board", "on_kiosk"]))
    return material


def withdraw(*, material: PublicityMaterial, by, now=None) -> PublicityMaterial:
    now = now or timezone.now()
    policy.require(by, "hallinfo.publish", material)
    with transaction.atomic():
        if not PublicityMaterial.objects.filter(pk=material.pk, withdrawn_at__isnull=True).update(withdrawn_at=now):
            raise DomainError(_("该材料已撤下。"), code="already_withdrawn", status=409)
        material.withdrawn_at = now
        audit.record(actor=by, obj=material, action="hallinfo.withdraw", after={"withdrawn_at": now})
    return material

