"""Hall registers (R-E3 security, R-S3 environment): the cashier's cash-box register, fee-area and cash-box
access requests with their typed timeline, hygiene owners per area, and the daily environment records
(cleaning, disinfection of shared items, rain-day measures)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicehall.core.models import EventRow
from servicehall.org.tenancy import HallOwned


class CashBoxEntry(HallOwned):
    """One opening of a self-service cash box by the cashier (R-E3: close the cash box after taking out the
    self-service cash and register it). Open until the cashier closes it; one still open after its day is flagged."""

    box = models.CharField(_("终端/钱箱"), max_length=60)
    amount = models.DecimalField(_("取款金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    business_day = models.DateField(_("营业日"))
    opened_at = models.DateTimeField(_("开箱时间"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("开箱人"))
    closed_at = models.DateTimeField(_("关箱时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("关箱人"))

    class Meta:
        verbose_name = _("钱箱登记")
        verbose_name_plural = _("钱箱登记")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # a box is open at most once at a time: closing it is what the register is for
            models.UniqueConstraint(fields=["hall", "box"], condition=Q(closed_at__isnull=True), name="cashbox_one_open_per_box"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="cashbox_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["hall", "business_day"], name="cashbox_hall_day_idx")]

    def __str__(self):
        return f"{self.box} {self.opened_at:%Y-%m-%d %H:%M}"


class AccessRequest(HallOwned):
    """A request by anyone other than the cashier to enter the fee area or open a cash box (R-E3): the hall
    leader of that hall approves or refuses, and the entry is registered with both names and four times."""

    class Area(models.TextChoices):
        FEE_AREA = "fee_area", _("进入收费区")
        CASH_BOX = "cash_box", _("开启钱箱")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("已拒绝")
        ENTERED = "entered", _("已进入")
        LEFT = "left", _("已离开")
        CANCELLED = "cancelled", _("已撤回")

    area = models.CharField(_("区域"), max_length=20, choices=Area.choices)
    reason = models.CharField(_("事由"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("审批人"))
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)
    entered_at = models.DateTimeField(_("进入时间"), null=True, blank=True)
    left_at = models.DateTimeField(_("离开时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("进入收费区/开启钱箱申请")
        verbose_name_plural = _("进入收费区/开启钱箱申请")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["hall", "status"], name="access_hall_status_idx")]

    def __str__(self):
        return f"{self.get_area_display()} #{self.pk}"


class AccessEvent(HallOwned, EventRow):
    """The typed timeline of an access request (core.transitions writes it)."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("提出申请")
        APPROVED = "approved", _("批准")
        REFUSED = "refused", _("拒绝")
        ENTERED = "entered", _("进入")
        LEFT = "left", _("离开")
        CANCELLED = "cancelled", _("撤回")

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("申请"))
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)

    class Meta(EventRow.Meta):
        verbose_name = _("申请记录")
        verbose_name_plural = _("申请记录")
        indexes = [models.Index(fields=["request", "at"], name="access_event_idx")]


class HygieneOwner(HallOwned):
    """Who owns the hygiene of one area of the hall (R-S3: 卫生责任到区域); the 大堂经理 owns the whole hall."""

    area = models.CharField(_("区域"), max_length=40)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("责任人"))
    overall = models.BooleanField(_("全厅总负责（大堂经理）"), default=False)

    class Meta:
        verbose_name = _("卫生责任区")
        verbose_name_plural = _("卫生责任区")
        ordering = ["-overall", "area"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "area"], name="hygiene_owner_area_unique"),
            models.UniqueConstraint(fields=["hall"], condition=Q(overall=True), name="hygiene_owner_one_overall"),
        ]

    def __str__(self):
        return f"{self.area} {self.person}"


class EnvironmentRecord(HallOwned):
    """One entry of an environment register on a hall's business day: the daily cleaning record, the
    disinfection log of shared items, or the rain-day measures (R-S3) — with who and when, and what was done."""

    class Kind(models.TextChoices):
        CLEANING = "cleaning", _("日常清洁")
        DISINFECTION = "disinfection", _("公用物品消毒")
        RAIN = "rain", _("雨天措施")

    kind = models.CharField(_("登记类别"), max_length=20, choices=Kind.choices)
    business_day = models.DateField(_("营业日"))
    items = models.JSONField(_("完成事项"), default=list)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("环境登记")
        verbose_name_plural = _("环境登记")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["hall", "kind", "business_day"], name="environment_hall_kind_day_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.business_day}"


# What each environment register confirms (R-S3, seeds 000 篇2/篇4, 002, 004): the 四净四无 of the daily
# cleaning, the shared items disinfected, the rain-day measures. A record lists the codes it confirms.
ITEMS = {
    EnvironmentRecord.Kind.CLEANING: [
        ("floor", _("地面净")), ("desk", _("台面净")), ("wall", _("墙面净")), ("door", _("门窗净")),
        ("no_dust", _("无灰尘")), ("no_scraps", _("无纸屑")), ("no_clutter", _("无杂物")), ("no_odour", _("无异味")),
    ],
    EnvironmentRecord.Kind.DISINFECTION: [
        ("pens", _("公用笔")), ("seats", _("座椅")), ("pads", _("评价器/签字板")), ("terminals", _("自助终端触屏")),
        ("glasses", _("老花镜")), ("convenience_box", _("便民箱物品")),
    ],
    EnvironmentRecord.Kind.RAIN: [
        ("umbrella_bucket", _("雨伞桶已摆放")), ("wet_floor_sign", _("“小心地滑”提示牌已摆放")), ("mats", _("防滑地垫已铺设")),
    ],
}
