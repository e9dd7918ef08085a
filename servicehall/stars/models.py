"""Star service (R-A3): a company's star formula (weights and level thresholds as data), each person's star
review of a quarter with the formula it was computed by, and the customers' flowers (one per visit)."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from servicehall.org.tenancy import HallOwned

USER = settings.AUTH_USER_MODEL


class StarFormula(models.Model):
    """How a company computes star levels: the weights of the four scores in integer points adding up to
    exactly 100, what a flower adds to the customer score, the cap of the distinctive-service bonus, and
    the total each level starts at (rising) — all checked by the database."""

    company = models.OneToOneField("org.Company", on_delete=models.CASCADE, related_name="+", verbose_name=_("公司"))
    self_weight = models.PositiveSmallIntegerField(_("自评权重"))
    peer_weight = models.PositiveSmallIntegerField(_("互评权重"))
    leader_weight = models.PositiveSmallIntegerField(_("领导评价权重"))
    customer_weight = models.PositiveSmallIntegerField(_("客户评价权重"))
    points_per_flower = models.PositiveSmallIntegerField(_("每朵鲜花加分"), default=2)
    max_bonus = models.PositiveSmallIntegerField(_("特色服务加分上限"), default=10)
    star1 = models.PositiveSmallIntegerField(_("一星起点"), default=60)
    star2 = models.PositiveSmallIntegerField(_("二星起点"), default=70)
    star3 = models.PositiveSmallIntegerField(_("三星起点"), default=80)
    star4 = models.PositiveSmallIntegerField(_("四星起点"), default=90)
    star5 = models.PositiveSmallIntegerField(_("五星起点"), default=95)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("星级服务公式")
        verbose_name_plural = _("星级服务公式")
        constraints = [
            models.CheckConstraint(
                condition=Q(self_weight=100 - F("peer_weight") - F("leader_weight") - F("customer_weight")),
                name="starformula_total_100",
            ),
            models.CheckConstraint(
                condition=Q(star1__gt=0, star2__gt=F("star1"), star3__gt=F("star2"), star4__gt=F("star3"), star5__gt=F("star4"),
                            star5__lte=100),
                name="starformula_levels_rise",
            ),
            models.CheckConstraint(condition=Q(max_bonus__lte=20, points_per_flower__lte=20), name="starformula_caps"),
        ]

    def __str__(self):
        return str(self.company)

    @property
    def thresholds(self) -> list[int]:
        return [self.star1, self.star2, self.star3, self.star4, self.star5]


class StarReview(HallOwned):
    """One person's star level of one quarter (hall: the person's hall, for scope). The customer's part is
    read from the records (ratings, flowers) when it is recorded and kept with it, with the formula used,
    so the level shown is reproducible from the row alone."""

    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("员工"))
    quarter = models.DateField(_("季度"))  # the first day of the quarter
    self_score = models.DecimalField(_("自评"), max_digits=4, decimal_places=1)
    peer_score = models.DecimalField(_("互评"), max_digits=4, decimal_places=1)
    leader_score = models.DecimalField(_("领导评价"), max_digits=4, decimal_places=1)
    bonus = models.DecimalField(_("特色服务加分"), max_digits=3, decimal_places=1, default=0)
    bonus_reason = models.CharField(_("特色服务事迹"), max_length=200, blank=True)
    rated = models.PositiveIntegerField(_("参评服务"), default=0)
    satisfied = models.PositiveIntegerField(_("满意评价"), default=0)
    flowers = models.PositiveIntegerField(_("鲜花"), default=0)
    customer_score = models.DecimalField(_("客户评价"), max_digits=4, decimal_places=1, null=True, blank=True)
    total = models.DecimalField(_("总分"), max_digits=4, decimal_places=1)
    level = models.PositiveSmallIntegerField(_("星级"))
    formula = models.JSONField(_("公式"), default=dict)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("评定人"))
    recorded_at = models.DateTimeField(_("评定时间"))

    class Meta:
        verbose_name = _("星级评定")
        verbose_name_plural = _("星级评定")
        ordering = ["-quarter", "hall_id", "-total"]
        constraints = [
            models.UniqueConstraint(fields=["person", "quarter"], name="starreview_one_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__day=1, quarter__month__in=[1, 4, 7, 10]), name="starreview_quarter_start"),
            models.CheckConstraint(
                condition=Q(self_score__gte=0, self_score__lte=100, peer_score__gte=0, peer_score__lte=100,
                            leader_score__gte=0, leader_score__lte=100, bonus__gte=0, level__lte=5),
                name="starreview_ranges",
            ),
        ]

    def __str__(self):
        return f"{self.person} {self.quarter:%Y-%m}"


class Flower(HallOwned):
    """A customer's flower for the teller who served them: one per visit (the ticket the customer took;
    a transfer's continuation counts as the same visit), whichever way it is given."""

    class Source(models.TextChoices):
        PAD = "pad", _("评价器")
        PHONE = "phone", _("手机排队页")

    visit = models.OneToOneField("queueing.Ticket", on_delete=models.PROTECT, related_name="+", verbose_name=_("来访（排队票）"))
    service = models.ForeignKey("queueing.Service", on_delete=models.PROTECT, related_name="+", verbose_name=_("服务"))
    teller = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("柜员"))
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    device = models.ForeignKey("org.Device", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("设备"))
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("鲜花")
        verbose_name_plural = _("鲜花")
        indexes = [models.Index(fields=["teller", "created_at"], name="flower_teller_at")]

    def __str__(self):
        return f"{self.teller} {self.created_at:%Y-%m-%d}"


def photo_path(instance, filename):
    # A random name: nothing guessable; the photo is served only through the scoped view.
    ext = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(instance.content_type, "bin")
    return f"stars/photos/{uuid.uuid4().hex}.{ext}"


class StaffPhoto(models.Model):
    """The photo customers see with a person's star level (R-A3): on the pad, the board, the notice page and
    the counter's screen. Optional; one per person, replaced by a new upload."""

    person = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="+", verbose_name=_("员工"))
    file = models.FileField(_("文件"), upload_to=photo_path, max_length=200)
    content_type = models.CharField(_("类型"), max_length=20)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("员工照片")
        verbose_name_plural = _("员工照片")

    def __str__(self):
        return str(self.person)
