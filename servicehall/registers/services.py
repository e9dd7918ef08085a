"""Writes of the hall registers: the cashier's cash-box register (open, close), access requests to the fee
area or a cash box (request, approve / refuse by the hall leader, enter, leave, cancel), hygiene owners and the
environment records. Each verb owns its transaction, writes an audit row and, for requests, a typed event row
and a live event to the hall's pages (the leader's page hears of a request without reloading)."""
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, live, policy
from servicehall.core.errors import Conflict, DomainError
from servicehall.org import selectors as org_selectors

from .models import ITEMS, AccessEvent, AccessRequest, CashBoxEntry, EnvironmentRecord, HygieneOwner
from .transitions import ACCESS

TOPIC = "registers"
MAX_AMOUNT = Decimal("9999999999.99")

audit.describe_actions({
    "registers.cashbox_open": _("钱箱开箱登记"), "registers.cashbox_close": _("钱箱关箱登记"),
    "registers.access_request": _("申请进入收费区/开启钱箱"), "registers.access_approve": _("批准进入申请"),
    "registers.access_refuse": _("拒绝进入申请"), "registers.access_enter": _("登记进入"), "registers.access_leave": _("登记离开"),
    "registers.access_cancel": _("撤回进入申请"), "registers.owner_set": _("设置卫生责任区"), "registers.owner_remove": _("删除卫生责任区"),
    "registers.environment_record": _("环境登记"),
})


def _text(value, limit) -> str:
    return (value or "").strip()[:limit]


# --- the cash-box register ----------------------------------------------------------------------------

def parse_amount(raw) -> Decimal | None:
    """The amount taken out, in yuan with at most two decimals; empty is allowed (the amount is optional)."""
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if raw in ("", None):
        return None
    try:
        amount = Decimal(str(raw))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("金额请填写不小于0的数字，最多两位小数。"), code="bad_amount", field="amount")
    return amount


def open_cashbox(*, hall, box: str, by, amount=None, note: str = "", now=None) -> CashBoxEntry:
    """The cashier opened a self-service cash box (to take out its cash): the register entry starts now."""
    now = now or timezone.now()
    policy.require(by, "registers.cashbox", hall)
    box = _text(box, 60)
    if not box:
        raise DomainError(_("请填写终端或钱箱名称。"), code="no_box", field="box")
    amount = parse_amount(amount)
    try:
        with transaction.atomic():
            entry = CashBoxEntry.objects.create(hall=hall, box=box, amount=amount, note=_text(note, 200),
                                                business_day=hall.today(now), opened_at=now, opened_by=by)
            audit.record(actor=by, obj=entry, action="registers.cashbox_open", after={"box": box, "amount": amount})
    except IntegrityError:
        raise Conflict(_("该钱箱已有未关闭的登记，请先关箱。"), code="box_open", field="box") from None
    return entry


def close_cashbox(*, entry: CashBoxEntry, by, now=None) -> CashBoxEntry:
    """The box is shut again: the entry is registered with who closed it and when (a conditional UPDATE: two
    taps or two people never close it twice)."""
    now = now or timezone.now()
    policy.require(by, "registers.cashbox", entry)
    with transaction.atomic():
        if not CashBoxEntry.objects.filter(pk=entry.pk, closed_at__isnull=True).update(closed_at=now, closed_by=by):
            raise Conflict(_("该钱箱登记已关闭。"), code="already_closed")
        entry.closed_at, entry.closed_by = now, by
        audit.record(actor=by, obj=entry, action="registers.cashbox_close", after={"closed_at": now})
    return entry


# --- access requests ----------------------------------------------------------------------------------

def _publish(req: AccessRequest, kind: str):
    live.publish(hall_id=req.hall_id, topic=TOPIC, kind=kind, payload={"request": req.pk, "status": req.status, "area": req.area})


def request_access(*, hall, area: str, reason: str, by, now=None) -> AccessRequest:
    """Anyone other than the cashier asks the hall leader to enter the fee area or open a cash box (R-E3)."""
    now = now or timezone.now()
    policy.require(by, "registers.access_request", hall)
    if area not in AccessRequest.Area.values:
        raise DomainError(_("请选择要进入的区域。"), code="no_area", field="area")
    reason = _text(reason, 200)
    if not reason:
        raise DomainError(_("请填写事由。"), code="no_reason", field="reason")
    with transaction.atomic():
        req = AccessRequest.objects.create(hall=hall, area=area, reason=reason, requested_by=by, requested_at=now)
        ACCESS.record(req, AccessEvent.Kind.REQUESTED, by, at=now, note=reason, payload={"area": area})
        audit.record(actor=by, obj=req, action="registers.access_request", after={"area": area, "reason": reason})
        _publish(req, "access_requested")
    return req


_STAMPS = {"approve": ("decided_at", "decided_by"), "refuse": ("decided_at", "decided_by"), "enter": ("entered_at", None),
           "leave": ("left_at", None), "cancel": (None, None)}


def _move(req: AccessRequest, action: str, by, *, note: str = "", now=None) -> AccessRequest:
    """One step of the request's machine on a locked row: the state, its time stamp (and the decider), the event
    row, the audit row and the live event, in one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        req = AccessRequest.objects.select_for_update().get(pk=req.pk)
        ACCESS.apply(req, action, by, at=now, note=note)
        at_field, by_field = _STAMPS[action]
        fields = ["status"]
        if at_field:
            setattr(req, at_field, now)
            fields.append(at_field)
        if by_field:
            setattr(req, by_field, by)
            req.decision_note = note
            fields += [by_field, "decision_note"]
        req.save(update_fields=fields)
        audit.record(actor=by, obj=req, action=f"registers.access_{action}", after={"status": req.status, "note": note})
        _publish(req, f"access_{req.status}")
    return req


def approve(*, request: AccessRequest, by, note: str = "", now=None) -> AccessRequest:
    return _move(request, "approve", by, note=_text(note, 200), now=now)


def refuse(*, request: AccessRequest, by, note: str = "", now=None) -> AccessRequest:
    return _move(request, "refuse", by, note=_text(note, 200), now=now)


def enter(*, request: AccessRequest, by, now=None) -> AccessRequest:
    return _move(request, "enter", by, now=now)


def leave(*, request: AccessRequest, by, now=None) -> AccessRequest:
    return _move(request, "leave", by, now=now)


def cancel(*, request: AccessRequest, by, now=None) -> AccessRequest:
    return _move(request, "cancel", by, now=now)


# --- environment ----------------------------------------------------------------------------------------

def set_owner(*, hall, area: str, person_id, by, overall: bool = False) -> HygieneOwner:
    """Make a member of the hall's staff the hygiene owner of an area (or the whole hall: the 大堂经理)."""
    policy.require(by, "registers.owners", hall)
    area = _text(area, 40)
    if not area:
        raise DomainError(_("请填写区域名称。"), code="no_area", field="area")
    person = org_selectors.member_of(hall, person_id)
    if person is None:
        raise DomainError(_("请选择本营业厅的员工。"), code="no_person", field="person")
    with transaction.atomic():
        if overall:
            HygieneOwner.objects.filter(hall=hall, overall=True).exclude(area=area).update(overall=False)
        owner, created = HygieneOwner.objects.update_or_create(hall=hall, area=area, defaults={"person": person, "overall": overall})
        audit.record(actor=by, obj=owner, action="registers.owner_set",
                     after={"area": area, "person": str(person), "overall": overall, "new": created})
    return owner


def remove_owner(*, owner: HygieneOwner, by) -> None:
    policy.require(by, "registers.owners", owner)
    with transaction.atomic():
        audit.record(actor=by, obj=owner, action="registers.owner_remove", before={"area": owner.area, "person": str(owner.person)})
        owner.delete()


def record_environment(*, hall, kind: str, items, by, note: str = "", now=None) -> EnvironmentRecord:
    """An entry of the day's cleaning record, the disinfection log or the rain-day measures, with who and when."""
    now = now or timezone.now()
    policy.require(by, "registers.environment", hall)
    if kind not in EnvironmentRecord.Kind.values:
        raise DomainError(_("请选择登记类别。"), code="no_kind", field="kind")
    known = [code for code, _label in ITEMS[kind]]
    chosen = [code for code in known if code in set(items or ())]
    if not chosen:
        raise DomainError(_("请至少勾选一项已完成的事项。"), code="no_items", field="items")
    with transaction.atomic():
        record = EnvironmentRecord.objects.create(hall=hall, kind=kind, business_day=hall.today(now), items=chosen,
                                                  note=_text(note, 200), recorded_by=by, recorded_at=now)
        audit.record(actor=by, obj=record, action="registers.environment_record", after={"kind": kind, "items": chosen})
    return record
