"""The standards library (R-I5): named service standards in categories, each kept as numbered versions so an
old text stays readable; a standard's current text is its latest version."""
import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicehall.org.tenancy import HallOwned


class Category(models.TextChoices):
    ENVIRONMENT = "environment", _("营业环境标准")
    STAFF = "staff", _("员工服务标准")
    COUNTER = "counter", _("柜台业务办理标准")
    LOBBY = "lobby", _("大堂经理服务标准")
    POLITE = "polite", _("文明用语")
    FORBIDDEN = "forbidden", _("服务忌语")
    COMMITMENTS = "commitments", _("十项承诺")


class Standard(models.Model):
    code = models.SlugField(_("标准代码"), max_length=60, unique=True)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    # The latest version, kept on the row so a search reads one join (set by services.revise_standard).
    current = models.ForeignKey("StandardVersion", null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("现行版本"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("服务标准")
        verbose_name_plural = _("服务标准")
        ordering = ["category", "order", "id"]

    def __str__(self):
        return self.current.title if self.current_id else self.code


class StandardVersion(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="versions", verbose_name=_("服务标准"))
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("内容"))
    source = models.CharField(_("依据"), max_length=200, blank=True)
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("发布人"))

    class Meta:
        verbose_name = _("标准版本")
        verbose_name_plural = _("标准版本")
        ordering = ["standard", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="standard_version_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="standard_version_number_positive"),
        ]

    def __str__(self):
        return f"{self.title} v{self.number}"


class HoursRequest(HallOwned):
    """R-S5: a remote hall asks for its own weekly hours with a reason; the customer service centre approves
    (the hall's opening hours are replaced) or refuses. `weekly` is [[weekday 0–6, "HH:MM", "HH:MM"], …]."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")

    weekly = models.JSONField(_("申请营业时间"))
    reason = models.CharField(_("申请理由"), max_length=500)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("审批人"))
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("营业时间申请")
        verbose_name_plural = _("营业时间申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["hall"], condition=models.Q(status="pending"), name="hours_request_one_pending_per_hall"),
        ]

    def __str__(self):
        return f"{self.hall_id} {self.get_status_display()} {self.requested_at:%Y-%m-%d}"

    def rows(self) -> list[tuple[int, dt.time, dt.time]]:
        return [(int(day), dt.time.fromisoformat(opens), dt.time.fromisoformat(closes)) for day, opens, closes in self.weekly]
