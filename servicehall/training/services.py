"""Writes of training (R-T1, R-T2, R-A1 exam): plan a training, enter its attendance and evaluation results,
submit, approve or refuse its 学时; record monthly exams (a failed one puts the person on 待岗 through
assessment.services, a passed one lifts that) and certification exams (a pass issues a certificate with the
rule that issued it). Each verb owns its transaction, checks the policy and writes an audit row."""
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.assessment import services as assessment_services
from servicehall.core import audit, policy
from servicehall.core.errors import Conflict, DomainError, NotFound
from servicehall.org.selectors import holders_of
from servicehall.org.tenancy import hall_ids_for
from servicehall.standards import selectors as standards_selectors

from . import figures, rules
from .models import (
    Attendance,
    Category,
    Certificate,
    CertificationExam,
    EvaluationKind,
    MonthlyExam,
    Training,
    TrainingEvent,
    TrainingStatus,
)
from .transitions import TRAININGS

audit.describe_actions({
    "training.plan": _("制定培训计划"), "training.attendance": _("录入培训出勤与成绩"), "training.submit": _("提交培训审核"),
    "training.approve": _("审核通过培训学时"), "training.refuse": _("退回培训记录"), "training.monthly_exam": _("录入月度考试成绩"),
    "training.certification": _("录入技能认证考试"), "training.enforce": _("安排未完成必修培训人员待岗"),
})

CERTIFICATE_RULE = "T2-2026.11"


def _whole(value, *, field: str, low: int, high: int, message) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(message, field=field) from None
    if not low <= number <= high:
        raise DomainError(message, field=field)
    return number


def _text(value, *, field: str, message, limit: int = 200) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(message, field=field)
    return text[:limit]


def _trainee(by, person_id) -> tuple[int, int]:
    """(person id, their hall id) of a person who is trained (a hall's staff) within `by`'s halls, else 404."""
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise DomainError(_("请选择员工。"), field="person") from None
    qs = holders_of("training.be_trained").filter(pk=pk)
    if by is not None:
        qs = qs.filter(halls__in=hall_ids_for(by))
    hall_id = qs.order_by("halls").values_list("halls", flat=True).first()
    if hall_id is None:
        raise NotFound(_("该员工不在您管辖的营业厅。"))
    return pk, hall_id


@transaction.atomic
def plan_training(*, hall, by, title, category, held_on, periods, evaluation=EvaluationKind.EXAM, pass_mark=60, trainer="",
                  standards=(), now=None) -> Training:
    """A training the hall will give: topic, category, day, 学时, how it is evaluated, and the library's standards
    it teaches (published ones only)."""
    policy.require(by, "training.enter", hall)
    if category not in Category.values:
        raise DomainError(_("请选择培训类别。"), field="category")
    if evaluation not in EvaluationKind.values:
        raise DomainError(_("请选择培训评估方式。"), field="evaluation")
    if not isinstance(held_on, dt.date):
        try:
            held_on = dt.date.fromisoformat(str(held_on))
        except ValueError:
            raise DomainError(_("请填写培训日期。"), field="held_on") from None
    standard_ids = _published_standards(standards)
    row = Training.objects.create(
        hall=hall, title=_text(title, field="title", message=_("请填写培训主题。")), category=category, held_on=held_on,
        periods=_whole(periods, field="periods", low=1, high=200, message=_("学时须为 1–200 的整数。")),
        evaluation=evaluation, pass_mark=_whole(pass_mark, field="pass_mark", low=0, high=100, message=_("合格分须为 0–100 的整数。")),
        trainer=(trainer or "").strip()[:100], created_by=by,
    )
    row.standards.set(standard_ids)
    TRAININGS.record(row, TrainingEvent.Kind.PLANNED, by, at=now or timezone.now())
    audit.record(actor=by, obj=row, action="training.plan",
                 after={**audit.snapshot(row, fields={"title", "category", "held_on", "periods", "evaluation", "pass_mark"}),
                        "standards": standard_ids})
    return row


def _published_standards(values) -> list[int]:
    ids = []
    for value in values or ():
        if value in ("", None):
            continue
        pk = standards_selectors.published_id(value)
        if pk is None:
            raise DomainError(_("所选服务标准不存在或尚未发布。"), field="standards")
        ids.append(pk)
    return sorted(set(ids))


def _locked(training) -> Training:
    return Training.objects.select_for_update().get(pk=training.pk)


@transaction.atomic
def set_attendance(training, *, by, rows) -> list[Attendance]:
    """The training's roster as the trainer records it: each row {person, present, score} (score 0–100 for a
    present attendee, blank until evaluated). Replaces the roster; only before approval."""
    training = _locked(training)
    policy.require(by, "training.enter", training)
    if training.status not in (TrainingStatus.PLANNED, TrainingStatus.REFUSED):
        raise Conflict(_("培训记录已提交，不能修改出勤与成绩。"), code="training_submitted")
    made, seen = [], set()
    for row in rows:
        pid, hall_id = _trainee(by, row.get("person"))
        if pid in seen:
            raise DomainError(_("同一学员只能录入一次。"), field="person")
        seen.add(pid)
        present = bool(row.get("present"))
        score = row.get("score")
        score = None if score in (None, "") or not present else _whole(
            score, field="score", low=0, high=100, message=_("成绩须为 0–100 的整数。"))
        made.append(Attendance(training=training, hall_id=hall_id, person_id=pid, present=present, score=score))
    Attendance.objects.filter(training=training).delete()
    Attendance.objects.bulk_create(made)
    audit.record(actor=by, obj=training, action="training.attendance",
                 after={"rows": [[a.person_id, a.present, a.score] for a in made]})
    return made


@transaction.atomic
def submit(training, *, by, now=None) -> Training:
    """The record is complete: at least one attendee, and every present attendee has an evaluation result."""
    training = _locked(training)
    TRAININGS.check(training, "submit", by)
    roster = list(training.attendance.all())
    if not any(a.present for a in roster):
        raise DomainError(_("请先录入出勤学员。"), field="attendance")
    if any(a.present and a.score is None for a in roster):
        raise DomainError(_("每次培训须以评估结束：请录入每位出勤学员的评估成绩。"), field="score")
    training.submitted_by = by if getattr(by, "pk", None) else None
    TRAININGS.apply(training, "submit", by, at=now or timezone.now(), payload={"present": sum(a.present for a in roster)})
    training.save(update_fields=["status", "submitted_by"])
    audit.record(actor=by, obj=training, action="training.submit", after={"status": training.status})
    return training


@transaction.atomic
def approve(training, *, by, now=None) -> Training:
    """The 学时 count from now on for the present attendees; whoever passed a required training and is on 待岗 for
    missing it is released once it is all done."""
    training = _locked(training)
    now = now or timezone.now()
    TRAININGS.apply(training, "approve", by, at=now)
    training.save(update_fields=["status"])
    audit.record(actor=by, obj=training, action="training.approve", after={"status": training.status})
    if training.category in rules.REQUIRED_CATEGORIES:
        passed = list(training.attendance.filter(present=True, score__gte=training.pass_mark).values_list("person_id", flat=True))
        still_missing = figures.missing_required(passed)
        grounds = _("已通过必修培训「%(title)s」（%(day)s）") % {"title": training.title, "day": training.held_on}
        for pid in passed:
            if pid not in still_missing:
                assessment_services.lift_by_rule(person_id=pid, reason=assessment_services.TRAINING_MISSING, note=grounds, by=by, now=now)
    return training


@transaction.atomic
def suspend_untrained(*, hall, by, now=None) -> list[int]:
    """R-A2: put on 待岗 every member of the hall's staff who has not passed the required training (etiquette
    included); a passed required training lifts it at its approval. Returns who was suspended now (a person already
    on 待岗 keeps that one)."""
    policy.require(by, "training.enforce", hall)
    now = now or timezone.now()
    staff = list(holders_of("training.be_trained").filter(halls=hall).values_list("pk", flat=True).distinct())
    labels = dict(Category.choices)
    suspended = []
    for pid, missing in sorted(figures.missing_required(staff).items()):
        note = _("未通过必修培训：%(names)s") % {"names": "、".join(str(labels[c]) for c in missing)}
        if assessment_services.suspend_by_rule(person_id=pid, hall_id=hall.pk, reason=assessment_services.TRAINING_MISSING, note=note,
                                               by=by, now=now):
            suspended.append(pid)
    audit.record(actor=by, obj=hall, action="training.enforce", after={"suspended": suspended})
    return suspended


@transaction.atomic
def refuse(training, *, by, note, now=None) -> Training:
    training = _locked(training)
    TRAININGS.check(training, "refuse", by)
    note = _text(note, field="note", message=_("请写明退回原因。"), limit=2000)
    TRAININGS.apply(training, "refuse", by, at=now or timezone.now(), note=note)
    training.save(update_fields=["status"])
    audit.record(actor=by, obj=training, action="training.refuse", after={"status": training.status, "note": note})
    return training


@transaction.atomic
def record_monthly_exam(*, by, person, month, score, pass_mark=60, full_mark=100, taken_on=None, now=None) -> MonthlyExam:
    """A person's monthly exam result (the next attempt of that month if they already sat it). Failing puts them
    on 待岗 (the console refuses them a counter); passing lifts a 待岗 for a failed exam."""
    policy.require(by, "training.record_exam")
    pid, hall_id = _trainee(by, person)
    now = now or timezone.now()
    if not isinstance(month, dt.date):
        try:
            month = dt.date.fromisoformat(f"{month}-01")
        except ValueError:
            raise DomainError(_("请选择月份。"), field="month") from None
    full = _whole(full_mark, field="full_mark", low=1, high=1000, message=_("满分须为正整数。"))
    points = _whole(score, field="score", low=0, high=full, message=_("成绩须为 0 到满分之间的整数。"))
    mark = _whole(pass_mark, field="pass_mark", low=0, high=full, message=_("合格分须为 0 到满分之间的整数。"))
    attempt = MonthlyExam.objects.select_for_update().filter(person_id=pid, month=month.replace(day=1)).count() + 1
    try:
        with transaction.atomic():
            exam = MonthlyExam.objects.create(person_id=pid, hall_id=hall_id, month=month.replace(day=1), attempt=attempt, score=points,
                                              full_mark=full, pass_mark=mark, taken_on=taken_on or timezone.localdate(now), recorded_by=by)
    except IntegrityError:
        raise Conflict(_("该员工本月的考试成绩正在被他人录入，请刷新后重试。"), code="exam_race") from None
    audit.record(actor=by, obj=exam, action="training.monthly_exam",
                 after={"person": pid, "month": exam.month, "attempt": attempt, "score": points, "pass_mark": mark, "full_mark": full})
    grounds = _("%(month)s 月度考试第 %(n)s 次：%(score)s / %(full)s 分（合格分 %(mark)s）") % {
        "month": f"{exam.month:%Y-%m}", "n": attempt, "score": points, "full": full, "mark": mark}
    if exam.passed:
        assessment_services.lift_by_rule(person_id=pid, reason=assessment_services.EXAM_FAILED, note=grounds, by=by, now=now)
    else:
        assessment_services.suspend_by_rule(person_id=pid, hall_id=hall_id, reason=assessment_services.EXAM_FAILED, note=grounds,
                                            by=by, now=now)
    return exam


@transaction.atomic
def record_certification(*, by, person, skill, score, pass_mark=60, taken_on=None, now=None) -> CertificationExam:
    """A skill certification exam; a pass issues the certificate, which keeps the rule that issued it."""
    policy.require(by, "training.record_exam")
    pid, hall_id = _trainee(by, person)
    now = now or timezone.now()
    exam = CertificationExam.objects.create(
        person_id=pid, hall_id=hall_id, skill=_text(skill, field="skill", message=_("请填写认证技能。"), limit=100),
        score=_whole(score, field="score", low=0, high=100, message=_("成绩须为 0–100 的整数。")),
        pass_mark=_whole(pass_mark, field="pass_mark", low=0, high=100, message=_("合格分须为 0–100 的整数。")),
        taken_on=taken_on or timezone.localdate(now), recorded_by=by)
    if exam.passed:
        Certificate.objects.create(
            exam=exam, person_id=pid, hall_id=hall_id, skill=exam.skill, issued_on=exam.taken_on,
            number=f"CERT-{exam.taken_on:%Y}-{exam.pk:06d}",
            rule={"rule_version": CERTIFICATE_RULE, "rule": "score >= pass_mark", "score": exam.score, "pass_mark": exam.pass_mark,
                  "full_mark": 100},
        )
    audit.record(actor=by, obj=exam, action="training.certification",
                 after={"person": pid, "skill": exam.skill, "score": exam.score, "pass_mark": exam.pass_mark, "certified": exam.passed})
    return exam
