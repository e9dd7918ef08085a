"""The three-party evaluation (三方评价, R-A5): the third-party survey results imported per source, month and
hall, and the weights of the three parties per region."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from servicehall.org.tenancy import HallOwned

USER = settings.AUTH_USER_MODEL


class SurveyResult(HallOwned):
    """One third-party survey's result for one hall and month (调查机构/来源, 月份, 样本量, 满意数 or 满意度得分),
    as imported from the survey company's Excel file; a re-import of the same source, month and hall updates it."""

    source = models.CharField(_("调查机构/来源"), max_length=100)
    month = models.DateField(_("月份"))  # the first day of the month
    sample_size = models.PositiveIntegerField(_("样本量"))
    satisfied = models.PositiveIntegerField(_("满意数"), null=True, blank=True)
    score = models.DecimalField(_("满意度得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    imported_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("导入人"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("第三方调查结果")
        verbose_name_plural = _("第三方调查结果")
        ordering = ["-month", "hall_id", "source"]
        constraints = [
            models.UniqueConstraint(fields=["source", "month", "hall"], name="survey_one_per_source_month_hall"),
            models.CheckConstraint(condition=Q(month__day=1), name="survey_month_first_day"),
            models.CheckConstraint(condition=Q(sample_size__gt=0), name="survey_sample_positive"),
            # exactly one measure: a count of satisfied respondents or a score out of 100
            models.CheckConstraint(condition=Q(satisfied__isnull=True) ^ Q(score__isnull=True), name="survey_one_measure"),
            models.CheckConstraint(condition=Q(satisfied__isnull=True) | Q(satisfied__lte=F("sample_size")), name="survey_satisfied_within_sample"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100), name="survey_score_0_100"),
        ]

    def __str__(self):
        return f"{self.source} {self.month:%Y-%m}"


class PartyWeights(models.Model):
    """The weights of the three parties for one region (a region's own set wins over its parents'), in whole
    points that add up to exactly 100 — checked by the database."""

    region = models.OneToOneField("org.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("区域"))
    customer = models.PositiveSmallIntegerField(_("客户评价"))
    expert = models.PositiveSmallIntegerField(_("专家评价"))
    internal = models.PositiveSmallIntegerField(_("内部评审"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("三方评价权重")
        verbose_name_plural = _("三方评价权重")
        constraints = [
            models.CheckConstraint(condition=Q(customer=100 - F("expert") - F("internal")), name="partyweights_total_100"),
        ]

    def __str__(self):
        return str(self.region)
