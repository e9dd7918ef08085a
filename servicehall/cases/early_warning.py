"""Early warning (预警阈值, R-C4): repeat voices of one customer or on one issue, a hall's complaint
rate per 10 000 customers (cases.figures), and the latent-dissatisfaction causes of seed 001. A warning is a record with
its own closing; while it is open, new matching cases join it instead of raising another."""
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, live, policy
from servicehall.core.errors import Conflict, DomainError
from servicehall.core.figures import Period
from servicehall.core.privacy import mask_phone

from . import figures, selectors
from .models import Case, CaseEvent, EarlyWarning, Kind, LatentSignal, LatentTrigger, Status, phone_key


def _raise(case, *, kind, key, title, detail, now):
    """Open a warning for (hall, kind, key) or add the case to the open one."""
    warning = EarlyWarning.objects.filter(hall_id=case.hall_id, kind=kind, key=key, state=EarlyWarning.State.OPEN).first()
    created = False
    if warning is None:
        try:
            with transaction.atomic():
                warning = EarlyWarning.objects.create(
                    hall_id=case.hall_id, kind=kind, key=key, title=title[:200], detail=detail, opened_at=now, last_seen_at=now
                )
                created = True
        except IntegrityError:  # another transaction opened it a moment ago
            warning = EarlyWarning.objects.get(hall_id=case.hall_id, kind=kind, key=key, state=EarlyWarning.State.OPEN)
    if not created:
        before = {"title": warning.title, "detail": warning.detail}
        warning.title, warning.detail, warning.last_seen_at = title[:200], detail, now
        warning.save(update_fields=["title", "detail", "last_seen_at"])
        audit.record(actor=None, obj=warning, action="warning.update", before=before, after={"title": warning.title, "detail": detail})
    else:
        audit.record(actor=None, obj=warning, action="warning.open", after=audit.snapshot(warning))
    case_ids = detail.get("case_ids") or [case.pk]
    warning.cases.add(*case_ids)
    CaseEvent.objects.create(
        hall_id=case.hall_id, case=case, kind=CaseEvent.Kind.WARNING_RAISED, at=now,
        payload={"warning": warning.pk, "warning_kind": kind, "title": warning.title, "new": created},
    )
    live.publish(hall_id=case.hall_id, topic="cases", kind="warning_opened" if created else "warning_updated",
                 payload={"hall_id": case.hall_id, "warning": {"id": warning.pk, "kind": kind, "title": warning.title}})
    return warning


def _counting_from(hall_id, kind, key, since):
    """A closed warning was acted on: for a pattern (one issue, one latent cause) only what came after
    its closing counts towards the next one."""
    closed = (
        EarlyWarning.objects.filter(hall_id=hall_id, kind=kind, key=key, state=EarlyWarning.State.CLOSED, closed_at__gt=since)
        .order_by("-closed_at").values_list("closed_at", flat=True).first()
    )
    return max(since, closed) if closed else since


def evaluate(case: Case, *, now: dt.datetime, triggers: list, repeats: bool = True) -> list[EarlyWarning]:
    """Check the rules a new fact on `case` can set off; returns the warnings raised or joined."""
    limits = selectors.thresholds_for(case.hall_id)
    since = now - dt.timedelta(days=limits.window_days)
    raised = []
    live_cases = Case.objects.exclude(status=Status.CANCELLED).filter(received_at__gte=since, received_at__lte=now)

    if repeats and case.customer_phone and limits.repeat_customer_count:
        same = list(live_cases.filter(customer_phone=case.customer_phone).order_by("received_at").values_list("pk", "number", "hall_id"))
        if len(same) >= limits.repeat_customer_count and any(pk == case.pk for pk, _n, _h in same):
            title = _("同一客户 %(days)s 天内第 %(n)s 次诉求（%(phone)s）") % {
                "days": limits.window_days, "n": len(same), "phone": mask_phone(case.customer_phone)}
            detail = {"count": len(same), "window_days": limits.window_days, "threshold": limits.repeat_customer_count,
                      "case_ids": [pk for pk, _n, hall in same if hall == case.hall_id], "numbers": [n for _p, n, _h in same],
                      "phone": mask_phone(case.customer_phone)}
            raised.append(_raise(case, kind=EarlyWarning.Kind.REPEAT_CUSTOMER, key=phone_key(case.customer_phone),
                                 title=title, detail=detail, now=now))

    if repeats and case.issue_id and limits.repeat_issue_count:
        key = f"issue:{case.issue.code}"
        start = _counting_from(case.hall_id, EarlyWarning.Kind.REPEAT_ISSUE, key, since)
        same = list(live_cases.filter(hall_id=case.hall_id, issue_id=case.issue_id, received_at__gt=start)
                    .order_by("received_at").values_list("pk", "number"))
        if len(same) >= limits.repeat_issue_count:
            title = _("「%(issue)s」%(days)s 天内 %(n)s 件诉求") % {"issue": case.issue.name, "days": limits.window_days, "n": len(same)}
            detail = {"count": len(same), "window_days": limits.window_days, "threshold": limits.repeat_issue_count,
                      "issue": case.issue.name, "case_ids": [pk for pk, _n in same], "numbers": [n for _p, n in same]}
            raised.append(_raise(case, kind=EarlyWarning.Kind.REPEAT_ISSUE, key=key, title=title, detail=detail, now=now))

    labels = dict(LatentTrigger.choices)
    for trigger in dict.fromkeys(triggers):
        if not limits.latent_trigger_count:
            break
        start = _counting_from(case.hall_id, EarlyWarning.Kind.LATENT, f"latent:{trigger}", since)
        signals = list(
            LatentSignal.objects.filter(hall_id=case.hall_id, trigger=trigger, at__gt=start, at__lte=now)
            .order_by("at").values_list("case_id", "case__number")
        )
        if len(signals) >= limits.latent_trigger_count:
            title = _("潜在不满意诱因「%(trigger)s」%(days)s 天内 %(n)s 次") % {"trigger": labels[trigger], "days": limits.window_days, "n": len(signals)}
            detail = {"count": len(signals), "window_days": limits.window_days, "threshold": limits.latent_trigger_count,
                      "trigger": trigger, "case_ids": [pk for pk, _n in signals], "numbers": [n for _p, n in signals]}
            raised.append(_raise(case, kind=EarlyWarning.Kind.LATENT, key=f"latent:{trigger}", title=title, detail=detail, now=now))

    if case.kind == Kind.COMPLAINT and case.hall_responsible is True and limits.complaint_rate_per_10k:
        warning = _check_rate(case, limits=limits, now=now)
        if warning is not None:
            raised.append(warning)
    return raised


def _check_rate(case, *, limits, now):
    """The hall's complaint rate (cases.figures) over the last `window_days` of its business days."""
    hall = case.hall
    period = Period.last_days(limits.window_days, ending=hall.today(now))
    rate = figures.hall_figures(hall, period)[hall.pk].complaint_rate
    if rate.denominator < max(limits.rate_min_tickets, 1) or rate.value is None or rate.value <= limits.complaint_rate_per_10k:
        return None
    complaints = list(
        figures.rated_complaints(figures.received_in(hall, period)).order_by("received_at").values_list("pk", "number")
    )
    title = _("投诉率 %(rate)s（%(n)s 件 ÷ %(t)s 笔），超过阈值 %(limit)s") % {
        "rate": rate.display, "n": rate.numerator, "t": rate.denominator, "limit": limits.complaint_rate_per_10k}
    detail = {"rate": str(rate.value), "complaints": rate.numerator, "tickets": rate.denominator, "scale": rate.scale,
              "threshold": str(limits.complaint_rate_per_10k), "window_days": limits.window_days, "period": period.as_dict(),
              "case_ids": [pk for pk, _n in complaints], "numbers": [n for _p, n in complaints]}
    return _raise(case, kind=EarlyWarning.Kind.COMPLAINT_RATE, key="rate", title=title, detail=detail, now=now)


@transaction.atomic
def close_warning(*, warning, by, note: str, now=None) -> EarlyWarning:
    """A warning is closed by a person, with what was done about it."""
    now = now or timezone.now()
    policy.require(by, "cases.close_warning", warning)
    warning = EarlyWarning.objects.select_for_update().get(pk=warning.pk)
    if warning.state != EarlyWarning.State.OPEN:
        raise Conflict(_("该预警已关闭。"))
    note = (note or "").strip()
    if not note:
        raise DomainError(_("请填写处置说明。"), field="note")
    before = audit.snapshot(warning)
    warning.state, warning.closed_at, warning.closed_by, warning.close_note = EarlyWarning.State.CLOSED, now, by, note
    warning.save()
    audit.record(actor=by, obj=warning, action="warning.close", before=before, after=audit.snapshot(warning))
    live.publish(hall_id=warning.hall_id, topic="cases", kind="warning_closed",
                 payload={"hall_id": warning.hall_id, "warning": {"id": warning.pk, "kind": warning.kind}})
    return warning

