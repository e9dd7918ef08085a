"""The guide desk's records (R-Q11): callbacks booked when nobody could answer a customer, guidance errors, and the
key customers whose account manager (大客户经理) is told when they check in."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicehall.core.models import EventRow
from servicehall.core.privacy import mask_phone
from servicehall.org.tenancy import HallOwned


class CallbackState(models.TextChoices):
    BOOKED = "booked", _("待回拨")
    DONE = "done", _("已回拨")
    FAILED = "failed", _("未联系上")


class Callback(HallOwned):
    """A customer the guide could not help on the spot (nobody answered in the back office): their contact and the
    matter, to be called back by `due_at`. The number is stored once, here, and shown masked (R-P1); the guide
    who booked it reveals it through core.privacy when calling."""

    customer_name = models.CharField(_("客户姓名"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20)
    matter = models.CharField(_("事项"), max_length=500)
    due_at = models.DateTimeField(_("回拨时间"))
    state = models.CharField(_("状态"), max_length=10, choices=CallbackState.choices, default=CallbackState.BOOKED)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("预约人"))
    outcome = models.CharField(_("回拨结果"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预约回拨")
        verbose_name_plural = _("预约回拨")
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(state="booked") | Q(closed_at__isnull=False), name="callback_closed_has_time"),
        ]
        indexes = [models.Index(fields=["hall", "state", "due_at"], name="callback_hall_state_due_idx")]

    def __str__(self):
        return f"{self.masked_phone} {self.matter[:30]}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class CallbackEvent(HallOwned, EventRow):
    class Kind(models.TextChoices):
        BOOKED = "booked", _("预约回拨")
        DONE = "done", _("已回拨")
        FAILED = "failed", _("未联系上")

    callback = models.ForeignKey(Callback, on_delete=models.CASCADE, related_name="events", verbose_name=_("预约回拨"))
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)

    class Meta(EventRow.Meta):
        verbose_name = _("回拨事件")
        verbose_name_plural = _("回拨事件")
        indexes = [models.Index(fields=["callback", "at"], name="callback_event_at_idx")]


class GuidanceError(HallOwned):
    """A guidance error (引导差错: a customer sent to the wrong counter or told the wrong documents): what was wrong,
    whose guidance it was, who recorded it. The target is none (R-Q11)."""

    at = models.DateTimeField(_("发生时间"))
    guide = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("引导人"))
    what = models.CharField(_("差错情况"), max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("引导差错")
        verbose_name_plural = _("引导差错")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["hall", "at"], name="guidance_error_hall_at_idx")]

    def __str__(self):
        return self.what[:40]


class KeyCustomer(HallOwned):
    """A key customer (大客户) of a hall and their named account manager (大客户经理制, R-Q2): served 优先、优惠、优质,
    and the manager is told when the customer checks in with an appointment. Matched by the appointment's phone."""

    name = models.CharField(_("客户名称"), max_length=80)
    phone = models.CharField(_("联系电话"), max_length=20, help_text=_("预约时留的电话与此一致即识别为大客户"))
    account_manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("大客户经理"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("大客户")
        verbose_name_plural = _("大客户")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["hall", "phone"], name="key_customer_phone_unique_in_hall")]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class FormDraft(HallOwned):
    """The business's application form pre-filled at the guide desk from the customer's documents (R-Q11), saved
    with the ticket taken for the customer so the teller who calls it finds the form filled in. `values` maps the
    form's field keys to what the documents say; the ID number and phone in it are shown masked everywhere but the
    printed form (R-P1), and a draft is purged after its retention period (services.DRAFT_RETENTION)."""

    business = models.ForeignKey("catalogue.BusinessType", on_delete=models.PROTECT, related_name="+", verbose_name=_("业务类型"))
    ticket = models.OneToOneField("queueing.Ticket", on_delete=models.CASCADE, related_name="+", verbose_name=_("排队票"))
    values = models.JSONField(_("填写内容"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("填写人"))
    created_at = models.DateTimeField(_("填写时间"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("最近更正人"))
    updated_at = models.DateTimeField(_("最近更正时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预填申请表")
        verbose_name_plural = _("预填申请表")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_at"], name="form_draft_created_idx")]

    def __str__(self):
        return f"{self.business_id}/{self.ticket_id}"
