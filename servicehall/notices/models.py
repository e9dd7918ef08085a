"""Notices (R-N1): message templates as data, and one record per recipient with its delivery state."""
import string

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicehall.org.tenancy import HallOwned


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class NoticeTemplate(models.Model):
    """The wording of one kind of notice on one channel, with named parameters (`{code}`, `{ahead}`).

    Templates are data: an administrator edits the wording in the admin without a release."""

    kind = models.SlugField(_("通知类型"), max_length=40)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    name = models.CharField(_("名称"), max_length=60)
    subject = models.CharField(_("邮件主题"), max_length=120, blank=True)
    body = models.TextField(_("内容"), help_text=_("用 {参数名} 引用参数，例如 {code}、{hall}。"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("通知模板")
        verbose_name_plural = _("通知模板")
        ordering = ["kind", "channel"]
        constraints = [models.UniqueConstraint(fields=["kind", "channel"], name="notice_template_unique")]

    def __str__(self):
        return f"{self.name}（{self.get_channel_display()}）"

    def parameters(self) -> list[str]:
        """The named parameters the wording uses, in order of first use."""
        names: list[str] = []
        for text in (self.subject, self.body):
            for _literal, field, _spec, _conv in string.Formatter().parse(text or ""):
                if field is not None and field not in names:
                    names.append(field)
        return names


class Notice(HallOwned):
    """One message to one recipient. `key` makes sending idempotent: a second `send` with the same key
    returns this row and sends nothing. The worker claims rows whose `next_attempt_at` has come
    (`claimed_at` is the claim marker), so two workers never deliver one notice twice."""

    class State(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        LIMITED = "limited", _("超过频次未发送")

    kind = models.SlugField(_("通知类型"), max_length=40)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("接收人"), max_length=254)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    key = models.CharField(_("幂等键"), max_length=200, unique=True)
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("发送中（认领于）"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    backend = models.CharField(_("发送通道"), max_length=120, blank=True)
    provider_id = models.CharField(_("服务商回执"), max_length=120, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(state="queued", claimed_at__isnull=True), name="notice_due_idx"),
            models.Index(fields=["hall", "created_at"], name="notice_hall_created_idx"),
            models.Index(fields=["recipient", "kind", "created_at"], name="notice_rate_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(state="sent") | Q(sent_at__isnull=False), name="notice_sent_has_time"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.masked_recipient}"

    @property
    def masked_recipient(self) -> str:
        from servicehall.core.privacy import mask_recipient

        return mask_recipient(self.recipient)
