"""Writes of the cases domain: one function per business verb of the closed loop (R-C2), the
attribution (R-C3), and the deadline sweeps. Each owns its transaction, checks the transition table,
writes a typed `CaseEvent`, an audit row and a live event."""
import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from servicehall.core import audit, live, policy, uploads
from servicehall.core.deadlines import claim, pause_clock, register_sweep, resume_clock, start_clock, stop_clock
from servicehall.core.errors import Conflict, DomainError
from servicehall.org.selectors import leaders_of, supervisors_of
from servicehall.org.tenancy import hall_ids_for, require_scope
from servicehall.queueing import selectors as queue_selectors

from . import early_warning, selectors
from .models import (
    DEFAULT_KIND,
    OPEN_STATUSES,
    STAFF_CHANNELS,
    STEP_OF_STATUS,
    Case,
    CaseEvent,
    Channel,
    CustomerType,
    FeedbackMethod,
    Kind,
    LatentSignal,
    LatentTrigger,
    RevisitResult,
    RootCause,
    Severity,
    Status,
)
from .transitions import CASES

HANDLING_FIELDS = ["handling_soothe", "handling_info", "customer_type", "handling_communication", "handling_facts", "handling_resolution"]
# Pad reasons that are latent-dissatisfaction causes (seed 001); "wait" is the queue's, not the handling's.
RATING_LATENT = {"attitude": LatentTrigger.ATTITUDE, "slow": LatentTrigger.SLOW, "not_solved": LatentTrigger.UNSOLVED}


# ---------------------------------------------------------------- helpers

def _now(at):
    return at or timezone.now()


def _calendar(hall, cache=None):
    if cache is not None and hall.pk in cache:
        return cache[hall.pk]
    cal = hall.calendar()
    if cache is not None:
        cache[hall.pk] = cal
    return cal


def _snapshot(case) -> dict:
    data = audit.snapshot(case)
    data["customer_phone"] = case.masked_phone  # the audit log never repeats the number (R-P1)
    data["acknowledgement"] = case.acknowledgement.name or ""
    return data


def _require_scope(by, hall_id):
    if by is not None:  # the system (sweeps, imports) acts on every hall
        require_scope(by, hall_id)


def _event(case, event_kind, *, by, at, from_status="", **payload) -> CaseEvent:
    """The case's typed timeline row (the state after is the case's status now)."""
    return CASES.record(case, event_kind, by, at=at, from_status=from_status, payload=payload)


def _publish(case, kind):
    live.publish(
        hall_id=case.hall_id, topic="cases", kind=kind,
        payload={"hall_id": case.hall_id, "case": {"id": case.pk, "number": case.number, "status": case.status,
                                                   "escalation_level": case.escalation_level}},
    )


def _start_step(case, now, cache=None):
    """Stop the running clock and start the clock of the step the new status waits for."""
    stop_clock(case)
    if case.escalation_level == 1 and case.escalated_to_region_at is None:
        case.region_escalation_due_at = None  # the overdue step is done: no further escalation for it
    step = STEP_OF_STATUS.get(case.status)
    if step is None:
        return
    minutes = selectors.step_minutes(channel=case.channel, severity=case.severity, step=step)
    if minutes:
        start_clock(case, start=now, working_seconds=minutes * 60, calendar=_calendar(case.hall, cache))
    case.clock_pause_reason = ""


def _clean_phone(phone: str) -> str:
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if phone and phone.strip() and not 7 <= len(digits) <= 15:
        raise DomainError(_("联系电话格式不正确，应为 7–15 位数字。"), field="customer_phone")
    return digits


def _staff_of_hall(user, hall, field, label):
    if user is None:
        return None
    if not user.is_active or hall.pk not in hall_ids_for(user):
        raise DomainError(_("%(label)s必须是本营业厅或其上级区域的在岗人员。") % {"label": label}, field=field)
    return user


def _signal(case, trigger, source, at):
    _, created = LatentSignal.objects.get_or_create(case=case, trigger=trigger, defaults={"hall_id": case.hall_id, "source": source, "at": at})
    return created


def _save(case, before, *, by, action):
    case.save()
    audit.record(actor=by, obj=case, action=f"case.{action}", before=before, after=_snapshot(case))


def _locked(case) -> Case:
    """Re-read the case under a row lock so two people acting at once apply one change after the other."""
    return Case.objects.select_for_update().select_related("hall__region").get(pk=case.pk)


# ---------------------------------------------------------------- opening a case

@transaction.atomic
def open_case(
    *,
    hall,
    channel: str,
    title: str,
    by=None,
    description: str = "",
    kind: str | None = None,
    severity: str = Severity.NORMAL,
    customer_name: str = "",
    customer_phone: str = "",
    received_at: dt.datetime | None = None,
    external_ref: str = "",
    issue: RootCause | None = None,
    counter=None,
    staff=None,
    service_at: dt.datetime | None = None,
    ticket=None,
    service=None,
    rating=None,
    latent_triggers=(),
    owner=None,
    now: dt.datetime | None = None,
) -> Case:
    """Register one customer voice (R-C1). `by=None` is the system (a rating, an import row already
    checked). The accept clock starts when the case reaches the hall (`now`, default the current time)."""
    now = _now(now)
    if channel not in Channel.values:
        raise DomainError(_("渠道无效。"), field="channel")
    if by is not None:
        policy.require(by, "cases.register", hall)
        if channel == Channel.EVALUATION_PAD:
            raise DomainError(_("评价器不满意由评价器自动登记，不能手工录入。"), field="channel")
        if channel not in STAFF_CHANNELS:
            policy.require(by, "cases.register_any_channel", hall)
    kind = kind or DEFAULT_KIND[channel]
    if kind not in Kind.values:
        raise DomainError(_("诉求类型无效。"), field="kind")
    if severity not in Severity.values:
        raise DomainError(_("紧急程度无效。"), field="severity")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("请填写诉求摘要。"), field="title")
    if len(title) > 120:
        raise DomainError(_("诉求摘要不能超过 120 字。"), field="title")
    received_at = received_at or now
    if received_at > now + dt.timedelta(minutes=5):
        raise DomainError(_("受理时间不能晚于当前时间。"), field="received_at")
    external_ref = (external_ref or "").strip()[:40]
    if external_ref and Case.objects.filter(channel=channel, external_ref=external_ref).exists():
        raise Conflict(_("工单 %(ref)s 已登记，不重复登记。") % {"ref": external_ref}, code="duplicate")
    if counter is not None and counter.hall_id != hall.pk:
        raise DomainError(_("窗口不属于该营业厅。"), field="counter")
    staff = _staff_of_hall(staff, hall, "staff", _("涉及员工"))
    owner = _staff_of_hall(owner, hall, "owner", _("责任处理人"))
    bad = [t for t in latent_triggers if t not in LatentTrigger.values]
    if bad:
        raise DomainError(_("潜在不满意诱因无效。"), field="latent_triggers")

    case = Case(
        hall=hall, channel=channel, kind=kind, severity=severity, status=Status.NEW, external_ref=external_ref,
        received_at=received_at, title=title, description=(description or "").strip(), issue=issue,
        customer_name=(customer_name or "").strip()[:60], customer_phone=_clean_phone(customer_phone),
        counter=counter, staff=staff, service_at=service_at, created_by=by,
    )
    for name, value in (("ticket", ticket), ("service", service), ("rating", rating)):
        if value is not None:
            setattr(case, name, value)
    _start_step(case, now)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise Conflict(_("工单 %(ref)s 已登记，不重复登记。") % {"ref": external_ref}, code="duplicate") from None
    local = received_at.astimezone(hall.tz)
    case.number = f"TS{local:%Y%m%d}{case.pk:05d}"
    Case.objects.filter(pk=case.pk).update(number=case.number)
    for trigger in dict.fromkeys(latent_triggers):
        _signal(case, trigger, LatentSignal.Source.RATING if rating is not None else LatentSignal.Source.INTAKE, now)
    _event(case, CaseEvent.Kind.OPENED, by=by, at=now, channel=channel, kind=kind,
           external_ref=external_ref, due_at=case.due_at)
    audit.record(actor=by, obj=case, action="case.open", after=_snapshot(case))
    _publish(case, "case_opened")
    if owner is not None:
        case = _accept(case, by=by, owner=owner, now=now)
    early_warning.evaluate(case, now=now, triggers=list(latent_triggers))
    return case


def open_case_from_rating(*, rating):
    """A 不满意 rating on the evaluation pad opens a case (R-Q7), linked to the service record (R-C5).
    Runs inside the rating's transaction (core.hooks), so both commit together."""
    if not queue_selectors.is_dissatisfied(rating) or Case.objects.filter(rating=rating).exists():
        return None
    labels = rating.reason_labels()
    title = _("评价器不满意") + (f"：{'、'.join(labels)}" if labels else "")
    service = rating.service
    appointment = getattr(rating.ticket, "appointment", None)
    return open_case(
        hall=rating.hall, channel=Channel.EVALUATION_PAD, kind=Kind.DISSATISFACTION, title=title[:120],
        description=rating.comment or "", received_at=rating.created_at,
        customer_name=getattr(appointment, "customer_name", "") or "", customer_phone=getattr(appointment, "phone", "") or "",
        counter=rating.counter, staff=rating.teller, service_at=service.started_at if service else rating.created_at,
        ticket=rating.ticket, service=service, rating=rating,
        latent_triggers=[RATING_LATENT[r] for r in rating.reasons or [] if r in RATING_LATENT], now=rating.created_at,
    )


# ---------------------------------------------------------------- the loop

def _accept(case, *, by, owner, now):
    case = _locked(case)
    before = _snapshot(case)
    old, _new = CASES.move(case, "accept", by)
    case.owner = owner
    _start_step(case, now)
    _save(case, before, by=by, action="accept")
    _event(case, CaseEvent.Kind.ACCEPTED, by=by, at=now, from_status=old, owner=owner.pk, owner_name=str(owner), due_at=case.due_at)
    _publish(case, "case_accepted")
    return case


@transaction.atomic
def accept_case(*, case, by, owner=None, now=None) -> Case:
    """受理: a named owner takes the case (由专人负责, R-C2); the handling clock starts."""
    _require_scope(by, case.hall_id)
    CASES.check(case, "accept", by)
    owner = _staff_of_hall(owner or by, case.hall, "owner", _("责任处理人"))
    return _accept(case, by=by, owner=owner, now=_now(now))


@transaction.atomic
def assign_owner(*, case, by, owner, now=None) -> Case:
    _require_scope(by, case.hall_id)
    now = _now(now)
    case = _locked(case)
    CASES.check(case, "assign", by)
    owner = _staff_of_hall(owner, case.hall, "owner", _("责任处理人"))
    if owner.pk == case.owner_id:
        return case
    before = _snapshot(case)
    previous = case.owner
    case.owner = owner
    _save(case, before, by=by, action="assign")
    _event(case, CaseEvent.Kind.OWNER_CHANGED, by=by, at=now, owner=owner.pk, owner_name=str(owner),
           previous=str(previous) if previous else "")
    return case


@transaction.atomic
def save_handling(*, case, by, now=None, **fields) -> Case:
    """Record the six steps of handling (seed 001): soothe, collect, customer type, communicate,
    confirm facts and needs, resolve. Only the given fields change."""
    _require_scope(by, case.hall_id)
    now = _now(now)
    case = _locked(case)
    CASES.check(case, "save_handling", by)
    unknown = set(fields) - set(HANDLING_FIELDS)
    if unknown:
        raise DomainError(_("未知的处理字段。"))
    if fields.get("customer_type") and fields["customer_type"] not in CustomerType.values:
        raise DomainError(_("顾客类型无效。"), field="customer_type")
    before = _snapshot(case)
    changed = []
    for name, value in fields.items():
        value = (value or "").strip()
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed.append(name)
    if not changed:
        return case
    _save(case, before, by=by, action="save_handling")
    _event(case, CaseEvent.Kind.HANDLING_SAVED, by=by, at=now, fields=changed, steps_done=handling_steps_done(case))
    return case


def handling_steps_done(case) -> int:
    return sum(1 for name in HANDLING_FIELDS if getattr(case, name))


@transaction.atomic
def finish_handling(*, case, by, now=None) -> Case:
    _require_scope(by, case.hall_id)
    now = _now(now)
    case = _locked(case)
    CASES.check(case, "finish_handling", by)
    if case.kind == Kind.SUGGESTION:
        missing = [] if case.handling_resolution else ["handling_resolution"]
    else:
        missing = [name for name in HANDLING_FIELDS if not getattr(case, name)]
    if missing:
        labels = pgettext("list separator", "、").join(str(Case._meta.get_field(n).verbose_name) for n in missing)
        raise DomainError(_("处理六步尚未填写完整：%(missing)s。") % {"missing": labels}, code="incomplete")
    before = _snapshot(case)
    old, _new = CASES.move(case, "finish_handling", by)
    _start_step(case, now)
    _save(case, before, by=by, action="finish_handling")
    _event(case, CaseEvent.Kind.HANDLED, by=by, at=now, from_status=old, due_at=case.due_at)
    _publish(case, "case_handled")
    return case


@transaction.atomic
def pause_case_clock(*, case, by, reason: str, now=None) -> Case:
    """Waiting on the customer (documents, a visit, no answer): the step clock stops (R-C2)."""
    _require_scope(by, case.hall_id)
    now = _now(now)
    case = _locked(case)
    CASES.check(case, "pause", by)
    reason = (reason or "").strip()[:200]
    if not reason:
        raise DomainError(_("请填写暂停计时的原因（等待客户的事项）。"), field="reason")
    if case.clock_paused_at is not None:
        raise Conflict(_("计时已暂停。"))
    if case.due_at is None:
        raise Conflict(_("当前环节没有计时。"))
    before = _snapshot(case)
    pause_clock(case, now=now, calendar=_calendar(case.hall))
    case.clock_pause_reason = reason
    _save(case, before, by=by, action="pause")
    _event(case, CaseEvent.Kind.CLOCK_PAUSED, by=by, at=now, reason=reason, remaining_seconds=case.clock_remaining_seconds)
    return case


@transaction.atomic
def resume_case_clock(*, case, by, now=None) -> Case:
    _require_scope(by, case.hall_id)
    now = _now(now)
    case = _locked(case)
    CASES.check(case, "resume", by)
    if case.clock_paused_at is None:
        raise Conflict(_("计时未暂停。"))
    before = _snapshot(case)
    paused_since = case.clock_paused_at
    resume_clock(case, now=now, calendar=_calendar(case.hall))
    case.clock_pause_reason = ""
    _save(case, before, by=by, action="resume")
    _event(case, CaseEvent.Kind.CLOCK_RESUMED, by=by, at=now, paused_seconds=int((now - paused_since).total_seconds()), due_at=case.due_at)
    return case


@transaction.atomic
def give_feedback(*, case, by, method: str, content: str, now=None) -> Case:
    """反馈: tell the customer the result (a comment-book entry gets its written reply here)."""
    _require_scope(by, case.hall_id)
    now = _now(now)
    case = _locked(case)
    CASES.check(case, "feedback", by)
    if method not in FeedbackMethod.values:
        raise DomainError(_("请选择反馈方式。"), field="method")
    content = (content or "").strip()
    if not content:
        raise DomainError(_("请填写反馈内容。"), field="content")
    before = _snapshot(case)
    old, _new = CASES.move(case, "feedback", by, target=Status.REVISIT if case.needs_revisit else Status.CLOSING)
    case.feedback_method, case.feedback_content, case.feedback_at = method, content, now
    _start_step(case, now)
    _save(case, before, by=by, action="feedback")
    _event(case, CaseEvent.Kind.FEEDBACK, by=by, at=now, from_status=old, method=method)
    _publish(case, "case_feedback")
    _tell_revisit_coming(case, by=by, now=now)
    return case


def _tell_revisit_coming(case, *, by, now):
    """R-C2/R-N1: a case going to its revisit tells the customer by SMS that a call will come (once per case)."""
    if case.status != Status.REVISIT or not case.customer_phone:
        return
    from servicehall.notices import services as notices

    notices.send(kind="revisit", to=case.customer_phone, hall=case.hall_id, key=f"revisit:{case.pk}", by=by, now=now,
                 params={"hall": case.hall.name, "case": case.number or case.pk})


@transaction.atomic
def record_revisit(*, case, by, result: str, note: str = "", now=None) -> Case:
    """回访: a satisfied (or unreachable) customer lets the case go to closing; an unsatisfied one
    sends it back to handling, and counts as a latent 解决问题效果差 signal."""
    _require_scope(by, case.hall_id)
    now = _now(now)
    case = _locked(case)
    if result not in RevisitResult.values:
        raise DomainError(_("请选择回访结果。"), field="result")
    note = (note or "").strip()
    if result == RevisitResult.UNREACHABLE and not note:
        raise DomainError(_("无法联系客户时请记录联系经过。"), field="note")
    before = _snapshot(case)
    reopen = result == RevisitResult.DISSATISFIED
    old, _new = CASES.move(case, "reopen" if reopen else "revisit", by)
    case.revisit_result, case.revisit_note, case.revisit_at = result, note, now
    _start_step(case, now)
    _save(case, before, by=by, action="revisit")
    _event(case, CaseEvent.Kind.REVISITED, by=by, at=now, from_status=old, result=result)
    if reopen:
        _event(case, CaseEvent.Kind.REOPENED, by=by, at=now, from_status=old)
        if _signal(case, LatentTrigger.UNSOLVED, LatentSignal.Source.REVISIT, now):
            early_warning.evaluate(case, now=now, triggers=[LatentTrigger.UNSOLVED], repeats=False)
    _publish(case, "case_revisited")
    return case


# The customer-signed acknowledgement (客户确认函, R-C3): a scan or a photo, checked by its content.
ACKNOWLEDGEMENT = uploads.UploadRule(
    types=frozenset({"application/pdf", "image/jpeg", "image/png"}), max_bytes=5 * 1024 * 1024, field="acknowledgement",
    what=gettext_lazy("客户确认函"), types_label=gettext_lazy("PDF、JPEG 或 PNG"),
)


def _replace_acknowledgement(case, upload):
    """Store the checked file under a name that matches its content; the file it replaces is deleted once
    the change is committed (one acknowledgement per case, the audit row keeps the old name)."""
    content_type = uploads.check_upload(upload, ACKNOWLEDGEMENT)
    old = case.acknowledgement.name if case.acknowledgement else ""
    storage = case.acknowledgement.storage
    upload.name = uploads.stored_name("acknowledgement", content_type)
    case.acknowledgement = upload
    if old:
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def attribute_case(
    *, case, by, hall_responsible: bool, root_cause: RootCause | None, rectification: str,
    responsible_staff=None, penalty: str = "", acknowledgement=None, now=None,
) -> Case:
    """定责 (R-C3): hall responsible or not, root cause, responsible staff, rectification measure."""
    _require_scope(by, case.hall_id)
    now = _now(now)
    case = _locked(case)
    CASES.check(case, "attribute", by)
    if hall_responsible is None:
        raise DomainError(_("请选择是否营业厅责任。"), field="hall_responsible")
    if root_cause is None and case.kind != Kind.SUGGESTION:
        raise DomainError(_("请选择原因类别。"), field="root_cause")
    rectification = (rectification or "").strip()
    if not rectification:
        raise DomainError(_("请填写整改措施（非营业厅责任时填写对客户的解释与预防措施）。"), field="rectification")
    if hall_responsible and case.kind != Kind.SUGGESTION and responsible_staff is None:
        raise DomainError(_("营业厅有责时请指定责任人。"), field="responsible_staff")
    responsible_staff = _staff_of_hall(responsible_staff, case.hall, "responsible_staff", _("责任人"))
    before = _snapshot(case)
    case.hall_responsible = bool(hall_responsible)
    case.root_cause = root_cause
    case.responsible_staff = responsible_staff
    case.rectification = rectification
    case.penalty = (penalty or "").strip()[:200]
    if acknowledgement is not None:
        _replace_acknowledgement(case, acknowledgement)
    case.attributed_at = now
    _save(case, before, by=by, action="attribute")
    _event(case, CaseEvent.Kind.ATTRIBUTED, by=by, at=now, hall_responsible=case.hall_responsible,
           root_cause=root_cause.name if root_cause else "", responsible_staff=str(responsible_staff) if responsible_staff else "")
    if case.kind == Kind.COMPLAINT and case.hall_responsible:
        early_warning.evaluate(case, now=now, triggers=[], repeats=False)
    return case


@transaction.atomic
def close_case(*, case, by, note: str = "", now=None) -> Case:
    _require_scope(by, case.hall_id)
    now = _now(now)
    case = _locked(case)
    CASES.check(case, "close", by)
    if not case.is_attributed:
        raise DomainError(_("结案前须完成定责：是否营业厅责任、原因类别、责任人、整改措施。"), code="not_attributed")
    before = _snapshot(case)
    old, _new = CASES.move(case, "close", by)
    _start_step(case, now)
    case.closed_at = now
    case.close_note = (note or "").strip()
    _save(case, before, by=by, action="close")
    _event(case, CaseEvent.Kind.CLOSED, by=by, at=now, from_status=old, overdue_steps=case.overdue_count)
    _publish(case, "case_closed")
    return case


@transaction.atomic
def cancel_case(*, case, by, reason: str, now=None) -> Case:
    """撤销: a duplicate or mistaken entry; kept with its reason, out of every count."""
    _require_scope(by, case.hall_id)
    now = _now(now)
    case = _locked(case)
    CASES.check(case, "cancel", by)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写撤销原因。"), field="reason")
    before = _snapshot(case)
    old, _new = CASES.move(case, "cancel", by)
    _start_step(case, now)
    case.closed_at, case.close_note = now, reason
    _save(case, before, by=by, action="cancel")
    _event(case, CaseEvent.Kind.CANCELLED, by=by, at=now, from_status=old, reason=reason)
    _publish(case, "case_cancelled")
    return case


# ---------------------------------------------------------------- sweeps (run by `manage.py run_worker`)

def _open_cases():
    return Case.objects.filter(status__in=OPEN_STATUSES)


def _on_warned(pk, now):
    case = Case.objects.select_related("hall").get(pk=pk)
    _event(case, CaseEvent.Kind.DEADLINE_WARNING, by=None, at=now, step=case.step, due_at=case.due_at)
    audit.record(actor=None, obj=case, action="case.deadline_warning", after={"warned_at": now, "step": case.step})
    _publish(case, "case_deadline_warning")


def _on_overdue(pk, now, cache):
    case = Case.objects.select_related("hall__region").get(pk=pk)
    before = _snapshot(case)
    step = case.step
    case.overdue_count += 1
    level = min(case.escalation_level + 1, 2)
    case.escalation_level = level
    if level == 1:
        minutes = selectors.step_minutes(channel=case.channel, severity=case.severity, step="escalate")
        case.region_escalation_due_at = _calendar(case.hall, cache).add_working_seconds(now, minutes * 60)
        to = [str(u) for u in leaders_of(case.hall)]
    else:
        case.escalated_to_region_at = case.escalated_to_region_at or now
        to = [str(u) for u in supervisors_of(case.hall)]
    Case.objects.filter(pk=pk).update(
        overdue_count=F("overdue_count") + 1, escalation_level=level,
        region_escalation_due_at=case.region_escalation_due_at, escalated_to_region_at=case.escalated_to_region_at,
    )
    _event(case, CaseEvent.Kind.OVERDUE, by=None, at=now, step=step, due_at=case.due_at)
    _event(case, CaseEvent.Kind.ESCALATED, by=None, at=now, level=level, to=to)
    audit.record(actor=None, obj=case, action="case.overdue", before=before, after=_snapshot(case))
    _publish(case, "case_escalated")
    # A missed step is a promise not kept (服务承诺无兑现) for the latent-dissatisfaction warning.
    if step != "close" and _signal(case, LatentTrigger.PROMISE_NOT_KEPT, LatentSignal.Source.OVERDUE, now):
        early_warning.evaluate(case, now=now, triggers=[LatentTrigger.PROMISE_NOT_KEPT], repeats=False)


def _on_region_escalation(pk, now):
    case = Case.objects.select_related("hall__region").get(pk=pk)
    before = _snapshot(case)
    case.escalation_level = 2
    Case.objects.filter(pk=pk).update(escalation_level=2)
    _event(case, CaseEvent.Kind.ESCALATED, by=None, at=now, level=2, to=[str(u) for u in supervisors_of(case.hall)])
    audit.record(actor=None, obj=case, action="case.escalate", before=before, after=_snapshot(case))
    _publish(case, "case_escalated")


@register_sweep("cases.deadline_warnings")
def sweep_deadline_warnings(now=None) -> int:
    """75 % of a step's working time used: warn the owner once."""
    now = _now(now)
    return len(claim(_open_cases(), due_field="warn_at", marker_field="warned_at", now=now, act=lambda pk: _on_warned(pk, now)))


@register_sweep("cases.deadlines")
def sweep_overdue(now=None) -> int:
    """Past the step's deadline: counted overdue once and escalated one level."""
    now = _now(now)
    cache = {}
    return len(claim(_open_cases(), due_field="due_at", marker_field="overdue_at", now=now, act=lambda pk: _on_overdue(pk, now, cache)))


@register_sweep("cases.escalation")
def sweep_region_escalation(now=None) -> int:
    """Still overdue after the escalation time at the hall leader: escalate to the region supervisor."""
    now = _now(now)
    qs = _open_cases().filter(escalation_level=1, overdue_at__isnull=False)
    return len(claim(qs, due_field="region_escalation_due_at", marker_field="escalated_to_region_at", now=now,
                     act=lambda pk: _on_region_escalation(pk, now)))


def sweep_all(now=None) -> dict[str, int]:
    now = _now(now)
    return {
        "warnings": sweep_deadline_warnings(now),
        "overdue": sweep_overdue(now),
        "escalation": sweep_region_escalation(now),
    }
