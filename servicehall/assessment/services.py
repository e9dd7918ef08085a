"""Writes of the monthly staff score (R-A1, R-A2): weights, the month cycle (open, compute, publish for review,
close, reopen as a new version), vetoes and objections, the payroll export. Each verb owns its transaction,
checks the policy and writes an audit row; state changes go through `transitions.MONTHS`."""
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, exports, policy
from servicehall.core.errors import Conflict, DomainError, NotFound

from . import scoring
from .inputs import gather, period_of
from .models import (
    AssessmentMonth,
    MonthEvent,
    MonthlyScore,
    MonthStatus,
    Objection,
    Suspension,
    SuspensionReason,
    Veto,
    VetoEffect,
    WeightSet,
)
from .selectors import component_label, require_region_in_scope, weights_of
from .transitions import MONTHS

audit.describe_actions({
    "assessment.weights": _("设置考核权重"), "assessment.open": _("开启考核月"), "assessment.compute": _("计算考核得分"),
    "assessment.review": _("发布考核复核"), "assessment.close": _("关闭考核月"), "assessment.reopen": _("重开考核月"),
    "assessment.veto": _("记录一票否决"), "assessment.objection": _("提出考核异议"), "assessment.answer": _("答复考核异议"),
    "assessment.export": _("导出薪酬考核表"), "assessment.suspend": _("安排待岗"),
    "assessment.lift_suspension": _("解除待岗"),
})


SCORE_FIELDS = ["components", "weighted", "score", "bonus_coefficient", "vetoed"]


def _refuse_closed(month):
    if month.status == MonthStatus.CLOSED:
        raise Conflict(_("考核月已关闭，不能修改；如需更正请重开（生成新版本）。"), code="month_closed")


@transaction.atomic
def set_weights(*, by, company=None, region=None, weights: dict, points_per_error: int = 10, points_per_complaint: int = 20) -> WeightSet:
    """The weights of a company or a region, whole points adding up to exactly 100."""
    policy.require(by, "assessment.manage")
    if (company is None) == (region is None):
        raise DomainError(_("权重须设置给一个公司或一个区域。"))
    try:
        clean = scoring.validate_weights(weights)
    except scoring.WeightError:
        raise DomainError(_("各项权重须为非负整数分，合计恰好 100 分。"), code="weights_total", field="weights") from None
    if points_per_error < 0 or points_per_complaint < 0:
        raise DomainError(_("扣分须为非负整数。"))
    row, _created = WeightSet.objects.update_or_create(
        company=company, region=region,
        defaults={**clean, "points_per_error": points_per_error, "points_per_complaint": points_per_complaint},
    )
    audit.record(actor=by, obj=row, action="assessment.weights", after={**clean, "points_per_error": points_per_error,
                                                                       "points_per_complaint": points_per_complaint})
    return row


def weights_for(region) -> WeightSet:
    """The region's own weights, else the nearest region above it, else its company's."""
    found = weights_of(region)
    if found is None:
        raise Conflict(_("本区域及其公司尚未设置考核权重。"), code="no_weights")
    return found


def formula_for(region) -> dict:
    w = weights_for(region)
    return scoring.formula({key: getattr(w, key) for key in scoring.COMPONENTS},
                           points_per_error=w.points_per_error, points_per_complaint=w.points_per_complaint)


@transaction.atomic
def open_month(*, region, month: dt.date, by) -> AssessmentMonth:
    policy.require(by, "assessment.manage")
    require_region_in_scope(by, region)
    first = month.replace(day=1)
    if AssessmentMonth.objects.filter(region=region, month=first).exists():
        raise Conflict(_("该区域的这个月已开启。"), code="month_exists")
    try:
        with transaction.atomic():
            row = AssessmentMonth.objects.create(region=region, month=first)
    except IntegrityError:
        raise Conflict(_("该区域的这个月已开启。"), code="month_exists") from None
    MONTHS.record(row, MonthEvent.Kind.OPENED, by, at=timezone.now())
    audit.record(actor=by, obj=row, action="assessment.open", after={"region": region.pk, "month": first})
    return row


def _locked(month) -> AssessmentMonth:
    return AssessmentMonth.objects.select_for_update().select_related("region").get(pk=month.pk)


def _effects(month) -> dict[int, list[str]]:
    effects: dict[int, list[str]] = {}
    for person_id, effect in Veto.objects.filter(month=month).values_list("person_id", "effect"):
        effects.setdefault(person_id, []).append(effect)
    return effects


def _score_row(month, person_id: int, counts: dict, effects) -> MonthlyScore:
    result = scoring.score(counts, month.formula, effects)
    return MonthlyScore(
        month=month, person_id=person_id, hall_id=counts["hall_id"], components=[c.as_dict() for c in result.components],
        weighted=result.weighted, score=result.score, bonus_coefficient=result.bonus_coefficient, vetoed=result.vetoed,
    )


@transaction.atomic
def compute_month(month, *, by, now=None) -> AssessmentMonth:
    """Read every assessed person's counts from the owning apps' figures, snapshot them with the formula,
    and (re)write the month's scores from that snapshot (a recompute drops the previous ones)."""
    month = _locked(month)
    require_region_in_scope(by, month.region)  # before the state check: a month outside one's halls is not disclosed
    MONTHS.check(month, "compute", by)
    month.formula = formula_for(month.region)
    month.inputs = gather(month.region, period_of(month))
    month.computed_at = now or timezone.now()
    effects = _effects(month)
    # upserted, not replaced: a score under review may carry objections, which keep pointing at it
    MonthlyScore.objects.bulk_create(
        [_score_row(month, int(pk), counts, effects.get(int(pk), ())) for pk, counts in month.inputs.items()],
        batch_size=1000, update_conflicts=True, unique_fields=["month", "person"], update_fields=SCORE_FIELDS + ["hall"],
    )
    MonthlyScore.objects.filter(month=month, objections__isnull=True).exclude(person_id__in=[int(pk) for pk in month.inputs]).delete()
    MONTHS.apply(month, "compute", by, at=month.computed_at, payload={"people": len(month.inputs), "rule_version": scoring.RULE_VERSION})
    month.save(update_fields=["status", "formula", "inputs", "computed_at"])
    audit.record(actor=by, obj=month, action="assessment.compute", after={"people": len(month.inputs), "formula": month.formula})
    return month


@transaction.atomic
def start_review(month, *, by) -> AssessmentMonth:
    """Publish the computed scores: each person sees their own and may object until the month closes."""
    month = _locked(month)
    require_region_in_scope(by, month.region)
    MONTHS.apply(month, "start_review", by)
    month.save(update_fields=["status"])
    audit.record(actor=by, obj=month, action="assessment.review", after={"status": month.status})
    return month


def recompute_from_snapshot(month) -> dict[int, scoring.Result]:
    """Every person's result recomputed from the month's own snapshot (inputs, formula, vetoes)."""
    effects = _effects(month)
    return {int(pk): scoring.score(counts, month.formula, effects.get(int(pk), ())) for pk, counts in month.inputs.items()}


@transaction.atomic
def close_month(month, *, by, now=None) -> AssessmentMonth:
    """Close the month: refused while an objection is unanswered, or if a stored score differs from what the
    snapshot gives (the scores then no longer match their formula)."""
    month = _locked(month)
    require_region_in_scope(by, month.region)
    MONTHS.check(month, "close", by)
    if Objection.objects.filter(score__month=month, answered_at__isnull=True).exists():
        raise Conflict(_("仍有未答复的异议，不能关闭考核月。"), code="objections_open")
    expected = recompute_from_snapshot(month)
    for row in MonthlyScore.objects.filter(month=month):
        r = expected.get(row.person_id)
        if r is None or (r.weighted, r.score, r.bonus_coefficient) != (row.weighted, row.score, row.bonus_coefficient):
            raise Conflict(_("得分与快照重算结果不一致，请重新计算后再关闭。"), code="snapshot_mismatch")
    month.closed_at = now or timezone.now()
    MONTHS.apply(month, "close", by, at=month.closed_at)
    month.save(update_fields=["status", "closed_at"])
    audit.record(actor=by, obj=month, action="assessment.close", after={"status": month.status, "closed_at": month.closed_at})
    return month


@transaction.atomic
def reopen_month(month, *, by, reason: str) -> AssessmentMonth:
    """A privileged correction of a closed month: the closed version stays as it is, readable; the next
    version starts open with the same vetoes and must be computed, reviewed and closed again."""
    month = _locked(month)
    require_region_in_scope(by, month.region)
    MONTHS.check(month, "reopen", by)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写重开原因。"), field="reason")
    if not month.is_latest:
        raise Conflict(_("只能重开最新版本。"), code="not_latest")
    new = AssessmentMonth.objects.create(region=month.region, month=month.month, version=month.version + 1, previous=month,
                                         reopen_reason=reason[:2000])
    Veto.objects.bulk_create([
        Veto(month=new, hall_id=v.hall_id, person_id=v.person_id, reason=v.reason, evidence=v.evidence, effect=v.effect,
             recorded_by_id=v.recorded_by_id)
        for v in Veto.objects.filter(month=month)
    ])
    MONTHS.apply(month, "reopen", by, note=reason, payload={"new_version": new.version})
    MONTHS.record(new, MonthEvent.Kind.OPENED, by, at=timezone.now(), note=reason, payload={"previous_version": month.version})
    audit.record(actor=by, obj=new, action="assessment.reopen", after={"previous": month.pk, "version": new.version, "reason": reason})
    return new


@transaction.atomic
def record_veto(month, *, by, person_id, reason: str, evidence: str, effect: str) -> Veto:
    """A one-vote veto of a person of the month, with evidence; applied at once (from the snapshot) if scored."""
    month = _locked(month)
    policy.require(by, "assessment.manage")
    require_region_in_scope(by, month.region)
    _refuse_closed(month)
    reason, evidence = (reason or "").strip(), (evidence or "").strip()
    if not reason or not evidence:
        raise DomainError(_("一票否决须写明事由和证据。"), field="evidence" if reason else "reason")
    if effect not in VetoEffect.values:
        raise DomainError(_("请选择否决的处理方式。"), field="effect")
    score = MonthlyScore.objects.filter(month=month, person_id=_int(person_id)).first()
    if score is None:
        raise NotFound(_("该员工不在本月考核名单中。"))
    veto = Veto.objects.create(month=month, hall_id=score.hall_id, person_id=score.person_id, reason=reason[:200],
                               evidence=evidence, effect=effect, recorded_by=by)
    if month.inputs:
        fresh = _score_row(month, score.person_id, month.inputs[str(score.person_id)], _effects(month).get(score.person_id, ()))
        for name in SCORE_FIELDS:
            setattr(score, name, getattr(fresh, name))
        score.save(update_fields=SCORE_FIELDS)
    audit.record(actor=by, obj=veto, action="assessment.veto", after=audit.snapshot(veto, fields={"person", "reason", "evidence", "effect"}))
    return veto


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError(_("请选择员工。"), field="person") from None


@transaction.atomic
def raise_objection(score, *, by, text: str) -> Objection:
    policy.require(by, "assessment.object", score)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写异议内容。"), field="text")
    row = Objection.objects.create(score=score, hall_id=score.hall_id, text=text[:4000])
    audit.record(actor=by, obj=row, action="assessment.objection", after={"text": row.text})
    return row


@transaction.atomic
def answer_objection(objection, *, by, answer: str, now=None) -> Objection:
    objection = Objection.objects.select_for_update().select_related("score__month").get(pk=objection.pk)
    policy.require(by, "assessment.manage", objection)
    if objection.score.month.status != MonthStatus.REVIEW:
        raise Conflict(_("只能在复核期内答复异议。"), code="not_in_review")
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("请填写答复。"), field="answer")
    objection.answer, objection.answered_by, objection.answered_at = answer[:4000], by, now or timezone.now()
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    audit.record(actor=by, obj=objection, action="assessment.answer", after={"answer": objection.answer})
    return objection


@transaction.atomic
def payroll_workbook(month, *, by) -> bytes:
    """The month's scores and bonus coefficients as an Excel sheet for payroll (names as text, never formulas)."""
    policy.require(by, "assessment.export")
    require_region_in_scope(by, month.region)
    wb = exports.workbook()
    ws = wb.active
    ws.title = f"{month.month:%Y-%m}"
    header = [_("工号"), _("姓名"), _("营业厅"), *[str(component_label(k)) for k in scoring.COMPONENTS], _("加权得分"), _("一票否决"),
              _("得分"), _("奖金系数")]
    rows = []
    for s in MonthlyScore.objects.filter(month=month).select_related("person", "hall").order_by("hall__code", "person__employee_no", "person_id"):
        by_key = {c["key"]: c for c in s.components}
        rows.append([
            s.person.employee_no or "", s.person.display_name or s.person.username, s.hall.name,
            *[float(by_key[k]["score"]) if by_key.get(k, {}).get("score") is not None else None for k in scoring.COMPONENTS],
            _num(s.weighted), _("是") if s.vetoed else "", _num(s.score), _num(s.bonus_coefficient),
        ])
    exports.fill_sheet(ws, header, rows)
    meta = wb.create_sheet(_("公式"))
    exports.fill_sheet(meta, [_("项目"), _("值")], [
        [_("区域"), str(month.region)], [_("月份"), f"{month.month:%Y-%m}"], [_("版本"), month.version],
        [_("状态"), month.get_status_display()], [_("规则版本"), month.formula.get("rule_version", "")],
        *[[str(component_label(k)), month.formula.get("weights", {}).get(k)] for k in scoring.COMPONENTS],
    ])
    audit.record(actor=by, obj=month, action="assessment.export", after={"rows": len(rows), "version": month.version})
    return exports.workbook_bytes(wb)


def _num(value):
    return None if value is None else float(value)


# the reasons another app's rule suspends for (training cannot read assessment's models)
EXAM_FAILED = SuspensionReason.EXAM_FAILED
TRAINING_MISSING = SuspensionReason.TRAINING_MISSING


def _start_suspension(*, person_id, hall_id, reason, note, by, now) -> Suspension:
    try:
        with transaction.atomic():
            row = Suspension.objects.create(person_id=person_id, hall_id=hall_id, reason=reason, note=note[:4000],
                                            started_at=now or timezone.now(), started_by=by if getattr(by, "pk", None) else None)
    except IntegrityError:
        raise Conflict(_("该员工已处于待岗状态。"), code="already_suspended") from None
    audit.record(actor=by, obj=row, action="assessment.suspend", after={"person": str(row.person), "reason": reason, "note": row.note})
    return row


@transaction.atomic
def suspend(score, *, by, reason: str, note: str, now=None) -> Suspension:
    """待岗: the person of `score` is taken off counter work (in the hall of that score) until `lift`."""
    policy.require(by, "assessment.suspend", score)
    note = (note or "").strip()
    if reason not in SuspensionReason.values:
        raise DomainError(_("请选择待岗原因。"), field="reason")
    if not note:
        raise DomainError(_("请写明待岗的事由与依据。"), field="note")
    return _start_suspension(person_id=score.person_id, hall_id=score.hall_id, reason=reason, note=note, by=by, now=now)


@transaction.atomic
def suspend_by_rule(*, person_id, hall_id, reason: str, note: str, by, now=None) -> Suspension | None:
    """待岗 that a rule imposes (R-A1: 考试不合格者待岗), called by the app that recorded the result (training) inside
    its transaction: no assessor decides it, so no assessment policy is asked; `by` (who recorded the result) is
    named on it. A person already on 待岗 stays on their open suspension (None)."""
    if Suspension.objects.select_for_update().filter(person_id=person_id, lifted_at__isnull=True).exists():
        return None
    return _start_suspension(person_id=person_id, hall_id=hall_id, reason=reason, note=note, by=by, now=now)


@transaction.atomic
def lift_by_rule(*, person_id, reason: str, note: str, by, now=None) -> Suspension | None:
    """Lift the person's open 待岗 of `reason` because the rule is now met (a passed re-exam); another reason's
    待岗 is left to the assessment group. Returns the lifted row, or None."""
    row = Suspension.objects.select_for_update().filter(person_id=person_id, reason=reason, lifted_at__isnull=True).first()
    if row is None:
        return None
    row.lifted_at, row.lifted_by, row.lift_note = now or timezone.now(), by if getattr(by, "pk", None) else None, note[:4000]
    row.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    audit.record(actor=by, obj=row, action="assessment.lift_suspension", after={"lift_note": row.lift_note})
    return row


@transaction.atomic
def lift_suspension(suspension, *, by, note: str, now=None) -> Suspension:
    policy.require(by, "assessment.suspend", suspension)
    note = (note or "").strip()
    if not note:
        raise DomainError(_("请写明解除依据（如补考成绩、培训记录）。"), field="lift_note")
    updated = Suspension.objects.filter(pk=suspension.pk, lifted_at__isnull=True).update(
        lifted_at=now or timezone.now(), lifted_by=by, lift_note=note[:4000])
    if not updated:
        raise Conflict(_("该待岗已解除。"), code="already_lifted")
    suspension.refresh_from_db()
    audit.record(actor=by, obj=suspension, action="assessment.lift_suspension", after={"lift_note": suspension.lift_note})
    return suspension
