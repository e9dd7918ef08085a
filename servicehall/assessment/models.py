"""The monthly staff score (R-A1, R-A2): the weights of a company or region, a region's month with its state,
version and snapshot, each person's score, one-vote vetoes and objections."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from servicehall.core.models import EventRow
from servicehall.org.tenancy import HallOwned

USER = settings.AUTH_USER_MODEL


class WeightSet(models.Model):
    """The weights of the score's components for a company or one region (a region's own set wins over its
    parents' and its company's), in integer points that add up to exactly 100 — checked by the database."""

    company = models.ForeignKey("org.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("公司"))
    region = models.ForeignKey("org.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("区域"))
    attendance = models.PositiveSmallIntegerField(_("出勤"))
    errors = models.PositiveSmallIntegerField(_("差错"))
    complaints = models.PositiveSmallIntegerField(_("投诉"))
    satisfaction = models.PositiveSmallIntegerField(_("满意度"))
    etiquette = models.PositiveSmallIntegerField(_("服务规范"))
    # 0 for the sets made before the monthly exam was a component: their scores stay as they were
    exam = models.PositiveSmallIntegerField(_("月度考试"), default=0)
    points_per_error = models.PositiveSmallIntegerField(_("每次差错扣分"), default=10)
    points_per_complaint = models.PositiveSmallIntegerField(_("每件有责投诉扣分"), default=20)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("考核权重")
        verbose_name_plural = _("考核权重")
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance=100 - F("errors") - F("complaints") - F("satisfaction") - F("etiquette") - F("exam")),
                name="weightset_total_100_with_exam",
            ),
            models.CheckConstraint(condition=Q(company__isnull=False) ^ Q(region__isnull=False), name="weightset_company_xor_region"),
            models.UniqueConstraint(fields=["company"], condition=Q(company__isnull=False), name="weightset_one_per_company"),
            models.UniqueConstraint(fields=["region"], condition=Q(region__isnull=False), name="weightset_one_per_region"),
        ]

    def __str__(self):
        return str(self.region or self.company)


class MonthStatus(models.TextChoices):
    OPEN = "open", _("已开启")
    COMPUTED = "computed", _("已计算")
    REVIEW = "review", _("复核中")
    CLOSED = "closed", _("已关闭")


class AssessmentMonth(models.Model):
    """One region's assessment of one calendar month, in one version. Computing fills `inputs` (each person's
    counts as read from the owning apps' figures) and `formula` (weights and rules): the snapshot its scores
    are reproduced from. A closed version never changes (a trigger refuses it); reopening makes the next version."""

    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("区域"))
    month = models.DateField(_("月份"))  # the first day of the month
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version",
                                    verbose_name=_("上一版本"))
    status = models.CharField(_("状态"), max_length=10, choices=MonthStatus.choices, default=MonthStatus.OPEN)
    formula = models.JSONField(_("公式"), default=dict, blank=True)
    inputs = models.JSONField(_("输入"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    reopen_reason = models.TextField(_("重开原因"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核月")
        verbose_name_plural = _("考核月")
        ordering = ["-month", "region_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["region", "month", "version"], name="assessment_month_version_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="assessment_month_first_day"),
        ]

    def __str__(self):
        return f"{self.region} {self.month:%Y-%m} v{self.version}"

    @property
    def is_closed(self) -> bool:
        return self.status == MonthStatus.CLOSED

    @property
    def is_latest(self) -> bool:
        return not AssessmentMonth.objects.filter(previous_id=self.pk).exists()


class MonthEvent(EventRow):
    """The typed timeline of a month: opened, computed, review started, closed, reopened."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("开启")
        COMPUTED = "computed", _("计算")
        REVIEW = "review", _("发布复核")
        CLOSED = "closed", _("关闭")
        REOPENED = "reopened", _("重开")

    month = models.ForeignKey(AssessmentMonth, on_delete=models.PROTECT, related_name="events", verbose_name=_("考核月"))
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)

    class Meta(EventRow.Meta):
        verbose_name = _("考核月记录")
        verbose_name_plural = _("考核月记录")

    @property
    def kind_label(self):
        return self.get_kind_display()


class MonthlyScore(HallOwned):
    """One person's score in one month version (hall: the person's hall in the region, for scope). `components`
    holds every component as computed (numerator, denominator, score, weight, effective weight, applies)."""

    month = models.ForeignKey(AssessmentMonth, on_delete=models.PROTECT, related_name="scores", verbose_name=_("考核月"))
    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("员工"))
    components = models.JSONField(_("考核项"), default=list)
    weighted = models.DecimalField(_("加权得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    bonus_coefficient = models.DecimalField(_("奖金系数"), max_digits=4, decimal_places=2, null=True, blank=True)
    vetoed = models.BooleanField(_("一票否决"), default=False)

    class Meta:
        verbose_name = _("月度考核得分")
        verbose_name_plural = _("月度考核得分")
        ordering = ["month", "hall_id", "person_id"]
        constraints = [models.UniqueConstraint(fields=["month", "person"], name="monthly_score_one_per_person")]

    def __str__(self):
        return f"{self.month} {self.person}"


class VetoEffect(models.TextChoices):
    ZERO_SCORE = "zero_score", _("当月得分为零")
    WITHHOLD_BONUS = "withhold_bonus", _("取消当月奖金")


class Veto(HallOwned):
    """A one-vote veto (一票否决) of a person in a month: a serious complaint, a security breach …, with its
    evidence and effect; applied after the weighted sum, never inside it."""

    month = models.ForeignKey(AssessmentMonth, on_delete=models.PROTECT, related_name="vetoes", verbose_name=_("考核月"))
    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("员工"))
    reason = models.CharField(_("否决事由"), max_length=200)
    evidence = models.TextField(_("证据"))
    effect = models.CharField(_("处理"), max_length=20, choices=VetoEffect.choices)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("一票否决")
        verbose_name_plural = _("一票否决")
        ordering = ["recorded_at", "id"]


class Objection(HallOwned):
    """A person's objection to their own score while the month is under review, and its answer."""

    score = models.ForeignKey(MonthlyScore, on_delete=models.PROTECT, related_name="objections", verbose_name=_("得分"))
    text = models.TextField(_("异议内容"))
    raised_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("答复人"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核异议")
        verbose_name_plural = _("考核异议")
        ordering = ["raised_at", "id"]


class SuspensionReason(models.TextChoices):
    EXAM_FAILED = "exam_failed", _("月度考试不合格，待补考")
    TRAINING_MISSING = "training_missing", _("未完成必修培训（含服务礼仪）")
    OTHER = "other", _("其他")


class Suspension(HallOwned):
    """待岗 (R-A1): a person taken off counter work until the assessment group lifts it (a passed re-exam, the
    training done). While it is open, the console refuses to sign the person on to any counter, with the reason."""

    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("员工"))
    reason = models.CharField(_("原因"), max_length=20, choices=SuspensionReason.choices)
    note = models.TextField(_("事由与依据"))
    started_at = models.DateTimeField(_("待岗时间"))
    started_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("决定人"))
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    lifted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("解除人"))
    lift_note = models.TextField(_("解除依据"), blank=True)

    class Meta:
        verbose_name = _("待岗记录")
        verbose_name_plural = _("待岗记录")
        ordering = ["-started_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["person"], condition=Q(lifted_at__isnull=True), name="one_open_suspension_per_person")]

    @property
    def refusal(self) -> str:
        return _("%(person)s 处于待岗状态，原因：%(reason)s。解除前不能签到开窗；补考通过或完成培训后由考核领导小组解除。") % {
            "person": self.person, "reason": self.get_reason_display()}
