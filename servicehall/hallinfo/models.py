"""Self-service terminals with their heartbeat and faults, the business they take (R-Q13), and the
hall's publicity material from templates, scheduled with an expiry (R-Q6)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicehall.org.tenancy import HallOwned


class TerminalKind(models.TextChoices):
    PAYMENT = "payment", _("自助缴费终端")
    BILL_QUERY = "bill_query", _("账单查询终端")
    AREA_24H = "area_24h", _("24小时自助区")


class SelfServiceTerminal(HallOwned):
    """A self-service device of a hall: its org.Device carries the token it authenticates with. The
    next heartbeat is a deadline (`heartbeat_due_at`); the sweep that finds it missed claims the row
    with `fault_raised_at`, so a fault is raised once per outage."""

    class State(models.TextChoices):
        UNKNOWN = "unknown", _("未上线")
        OK = "ok", _("正常")
        FAULT = "fault", _("故障")

    device = models.OneToOneField("org.Device", on_delete=models.PROTECT, related_name="terminal", verbose_name=_("设备"))
    kind = models.CharField(_("类型"), max_length=12, choices=TerminalKind.choices)
    location = models.CharField(_("位置"), max_length=60, blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.UNKNOWN)
    fault_reason = models.CharField(_("故障说明"), max_length=200, blank=True)
    fault_since = models.DateTimeField(_("故障开始"), null=True, blank=True)
    last_heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    heartbeat_due_at = models.DateTimeField(_("心跳截止"), null=True, blank=True)
    fault_raised_at = models.DateTimeField(_("已告警于"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("自助终端")
        verbose_name_plural = _("自助终端")
        ordering = ["hall", "kind", "id"]
        indexes = [models.Index(fields=["heartbeat_due_at"], condition=Q(fault_raised_at__isnull=True, is_active=True),
                                name="terminal_heartbeat_due_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.location}".strip()


class TerminalEvent(HallOwned):
    """A terminal's timeline: faults reported or detected, recoveries."""

    class Kind(models.TextChoices):
        REPORTED_FAULT = "reported_fault", _("终端报告故障")
        HEARTBEAT_MISSING = "heartbeat_missing", _("心跳中断")
        RECOVERED = "recovered", _("恢复正常")

    terminal = models.ForeignKey(SelfServiceTerminal, on_delete=models.CASCADE, related_name="events", verbose_name=_("自助终端"))
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("时间"))
    detail = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("自助终端事件")
        verbose_name_plural = _("自助终端事件")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.terminal_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class SelfServiceTally(HallOwned):
    """Transactions a terminal reported for one day (its running count: a repeated heartbeat is harmless)."""

    terminal = models.ForeignKey(SelfServiceTerminal, on_delete=models.CASCADE, related_name="tallies", verbose_name=_("自助终端"))
    day = models.DateField(_("日期"))
    transactions = models.PositiveIntegerField(_("办理笔数"), default=0)

    class Meta:
        verbose_name = _("自助办理笔数")
        verbose_name_plural = _("自助办理笔数")
        constraints = [models.UniqueConstraint(fields=["terminal", "day"], name="self_service_tally_unique")]
        indexes = [models.Index(fields=["hall", "day"], name="self_service_tally_hall_idx")]

    def __str__(self):
        return f"{self.terminal_id} {self.day}: {self.transactions}"


class PublicityKind(models.TextChoices):
    TARIFF = "tariff", _("电价标准")
    FEE = "fee", _("收费标准")
    FLOW = "flow", _("业务流程图")
    SAFETY = "safety", _("缴费安全提醒")
    NEWS = "news", _("通知公告")


class PublicityTemplate(models.Model):
    """Unified publicity wording (原则上各类宣传内容不上墙, 002): a hall publishes from a template."""

    kind = models.CharField(_("类别"), max_length=10, choices=PublicityKind.choices)
    name = models.CharField(_("名称"), max_length=60)
    title = models.CharField(_("标题"), max_length=80)
    body = models.TextField(_("内容"))
    valid_days = models.PositiveIntegerField(_("默认有效天数"), default=90)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("宣传模板")
        verbose_name_plural = _("宣传模板")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class PublicityMaterial(HallOwned):
    """One item on the hall's display board and the kiosk's idle screen, shown from `starts_at` until
    `expires_at`; past its expiry it is no longer shown and is flagged until it is renewed or withdrawn."""

    template = models.ForeignKey(PublicityTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("模板"))
    kind = models.CharField(_("类别"), max_length=10, choices=PublicityKind.choices)
    title = models.CharField(_("标题"), max_length=80)
    body = models.TextField(_("内容"))
    starts_at = models.DateTimeField(_("开始展示"))
    expires_at = models.DateTimeField(_("有效期至"))
    on_board = models.BooleanField(_("叫号显示屏"), default=True)
    on_kiosk = models.BooleanField(_("取号机待机画面"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("发布人"))
    created_at = models.DateTimeField(_("发布时间"))
    withdrawn_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("宣传材料")
        verbose_name_plural = _("宣传材料")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["hall", "expires_at"], condition=Q(withdrawn_at__isnull=True), name="publicity_live_idx")]
        constraints = [models.CheckConstraint(condition=Q(starts_at__lt=models.F("expires_at")), name="publicity_starts_before_expiry")]

    def __str__(self):
        return self.title
