"""Training (R-T1, R-T2): trainings planned, held and approved in 学时 by category with their attendance and
evaluation results; the monthly exam of R-A1; skill certification exams and the certificates they issue."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from servicehall.core.models import EventRow
from servicehall.org.tenancy import HallOwned

USER = settings.AUTH_USER_MODEL


class Category(models.TextChoices):
    SKILLS = "skills", _("业务技能")
    LAW = "law", _("法律法规")
    BUSINESS = "business", _("业务知识")
    ETIQUETTE = "etiquette", _("服务礼仪")
    CONDUCT = "conduct", _("职业道德")


class EvaluationKind(models.TextChoices):
    EXAM = "exam", _("考试")
    QA = "qa", _("问答")
    SPOT_CHECK = "spot_check", _("抽查")


class TrainingStatus(models.TextChoices):
    PLANNED = "planned", _("计划")
    ENTERED = "entered", _("已录入待审核")
    APPROVED = "approved", _("已审核")
    REFUSED = "refused", _("已退回")


class Training(HallOwned):
    """One training given by a hall (`hall`: the hall that trains; its attendees may come from other halls —
    an A-grade hall trains B-grade halls' staff). Planned, then its attendance and evaluation results are
    entered and it is approved or refused; its 学时 count for its present attendees only once approved."""

    title = models.CharField(_("培训主题"), max_length=200)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    held_on = models.DateField(_("培训日期"))
    periods = models.PositiveSmallIntegerField(_("学时"))
    trainer = models.CharField(_("授课人"), max_length=100, blank=True)
    evaluation = models.CharField(_("培训评估方式"), max_length=20, choices=EvaluationKind.choices, default=EvaluationKind.EXAM)
    pass_mark = models.PositiveSmallIntegerField(_("合格分"), default=60)
    status = models.CharField(_("状态"), max_length=20, choices=TrainingStatus.choices, default=TrainingStatus.PLANNED)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("计划人"))
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # What the training teaches from the standards library (R-I5 "linked from training"): its page links each
    # standard's current text, so an etiquette course and the checklist item that checks it cite the same rule.
    standards = models.ManyToManyField("standards.Standard", blank=True, related_name="+", verbose_name=_("学习的服务标准"))

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(periods__gte=1, periods__lte=200), name="training_periods_range"),
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="training_pass_mark_range"),
        ]
        indexes = [models.Index(fields=["status", "held_on"], name="training_status_day")]

    def __str__(self):
        return self.title


class TrainingEvent(HallOwned, EventRow):
    """The typed timeline of a training: planned, recorded, submitted, approved, refused."""

    class Kind(models.TextChoices):
        PLANNED = "planned", _("制定计划")
        SUBMITTED = "submitted", _("录入提交")
        APPROVED = "approved", _("审核通过")
        REFUSED = "refused", _("退回")

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="events", verbose_name=_("培训"))
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)

    class Meta(EventRow.Meta):
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")


class Attendance(HallOwned):
    """One person on a training's roster (`hall`: the attendee's own hall, so their hall reads it): present or
    not, and their evaluation score (0–100) when present."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("培训"))
    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("学员"))
    present = models.BooleanField(_("出勤"), default=True)
    score = models.PositiveSmallIntegerField(_("评估成绩"), null=True, blank=True)

    class Meta:
        verbose_name = _("培训出勤")
        verbose_name_plural = _("培训出勤")
        ordering = ["training_id", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["training", "person"], name="training_attendance_once"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=100), name="training_score_range"),
        ]


class MonthlyExam(HallOwned):
    """A person's monthly exam (R-A1) — the first attempt of a month is the one the score reads; a later attempt
    is a re-exam. The pass mark is kept with each row (data, not code)."""

    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("员工"))
    month = models.DateField(_("月份"))  # the first day of the month
    attempt = models.PositiveSmallIntegerField(_("次数"), default=1)
    score = models.PositiveSmallIntegerField(_("成绩"))
    full_mark = models.PositiveSmallIntegerField(_("满分"), default=100)
    pass_mark = models.PositiveSmallIntegerField(_("合格分"), default=60)
    taken_on = models.DateField(_("考试日期"))
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("录入人"))
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("月度考试")
        verbose_name_plural = _("月度考试")
        ordering = ["-month", "person_id", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month", "attempt"], name="monthly_exam_attempt_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="monthly_exam_month_first_day"),
            models.CheckConstraint(condition=Q(full_mark__gte=1, score__lte=F("full_mark"), pass_mark__lte=F("full_mark")),
                                   name="monthly_exam_marks"),
        ]

    @property
    def passed(self) -> bool:
        return self.score >= self.pass_mark


class CertificationExam(HallOwned):
    """A skill certification exam (R-T2) taken by a person; a pass issues a certificate."""

    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("员工"))
    skill = models.CharField(_("认证技能"), max_length=100)
    score = models.PositiveSmallIntegerField(_("成绩"))
    pass_mark = models.PositiveSmallIntegerField(_("合格分"), default=60)
    taken_on = models.DateField(_("考试日期"))
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("录入人"))
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("技能认证考试")
        verbose_name_plural = _("技能认证考试")
        ordering = ["-taken_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(score__lte=100, pass_mark__lte=100), name="certification_marks")]

    @property
    def passed(self) -> bool:
        return self.score >= self.pass_mark


class Certificate(HallOwned):
    """A certificate issued by a passed certification exam, with the rule that issued it (kept as it was then)."""

    exam = models.OneToOneField(CertificationExam, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("认证考试"))
    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("员工"))
    number = models.CharField(_("证书编号"), max_length=40, unique=True)
    skill = models.CharField(_("认证技能"), max_length=100)
    issued_on = models.DateField(_("发证日期"))
    rule = models.JSONField(_("发证规则"))

    class Meta:
        verbose_name = _("技能证书")
        verbose_name_plural = _("技能证书")
        ordering = ["-issued_on", "-id"]
