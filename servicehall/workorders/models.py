"""Work orders (流程跟踪责任制, R-B3): every business accepted at a counter that continues after it, with its
stages from the catalogue, the running stage's deadline on the handling hall's working calendar, the
responsible teller and, for 同城异地业务联办, the second hall that handles it. Enquiries under 首问负责制:
the first person asked owns one until it is solved or a hand-over is accepted."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from servicehall.core.deadlines import DeadlineFields
from servicehall.core.models import EventRow
from servicehall.core.privacy import mask_phone
from servicehall.org.tenancy import HallOwned


class OrderStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("work order", "办理中")  # the queue's 办理中 is "being served"
    WAITING = "waiting", _("等待客户")
    COMPLETED = "completed", _("已办结")
    TERMINATED = "terminated", _("已终止")


OPEN_STATUSES = (OrderStatus.ACTIVE, OrderStatus.WAITING)


class WorkOrder(HallOwned, DeadlineFields):
    """`hall` accepted it (受理厅); `handling_hall`, when set, is the hall of the same city that handles it (联办).
    The deadline columns are the running stage's clock; `reply_due_at` is set while the customer is owed a
    reply about a stalled or terminated order, and cleared when the reply is recorded."""

    number = models.CharField(_("工单号"), max_length=24, unique=True)
    business = models.ForeignKey("catalogue.BusinessType", on_delete=models.PROTECT, related_name="+", verbose_name=_("业务类型"))
    service = models.ForeignKey("queueing.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("柜台办理记录"))
    ticket_code = models.CharField(_("票号"), max_length=8, blank=True)
    handling_hall = models.ForeignKey("org.Hall", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("联办营业厅"))
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任柜员"))
    customer_name = models.CharField(_("客户姓名"), max_length=60, blank=True)
    customer_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    note = models.TextField(_("受理说明"), blank=True)
    form_values = models.JSONField(_("申请表内容"), default=list, blank=True,
                                   help_text=_("引导台预填的申请表：[[字段名称, 内容], …]，证件号码与电话已脱敏"))
    status = models.CharField(_("状态"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.ACTIVE)
    stages = models.JSONField(_("环节"), default=list, help_text=_("受理时从业务目录复制：[[环节名称, 时限（工作小时）], …]"))
    stage_index = models.PositiveSmallIntegerField(_("当前环节序号"), default=0)
    accepted_at = models.DateTimeField(_("受理时间"))
    finished_at = models.DateTimeField(_("办结或终止时间"), null=True, blank=True)
    stalled_count = models.PositiveSmallIntegerField(_("超期环节数"), default=0)
    termination_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    reply_due_at = models.DateTimeField(_("答复客户期限"), null=True, blank=True, db_index=True)
    replied_at = models.DateTimeField(_("最近答复客户"), null=True, blank=True)

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering = ["-accepted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(handling_hall=models.F("hall")), name="workorder_handling_hall_is_another"),
            models.CheckConstraint(condition=Q(status__in=["active", "waiting"]) | Q(finished_at__isnull=False),
                                   name="workorder_closed_has_finished_at"),
        ]
        indexes = [
            models.Index(fields=["hall", "accepted_at"], name="workorder_hall_accepted_idx"),
            models.Index(fields=["handling_hall", "accepted_at"], name="workorder_handling_idx"),
            models.Index(fields=["due_at"], condition=Q(status="active", overdue_at__isnull=True), name="workorder_due_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.business}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.customer_phone)

    @property
    def stage_name(self) -> str:
        if self.status == OrderStatus.COMPLETED or not self.stages:
            return ""
        return self.stages[min(self.stage_index, len(self.stages) - 1)][0]

    @property
    def is_last_stage(self) -> bool:
        return self.stage_index >= len(self.stages) - 1

    @property
    def stalled(self) -> bool:
        """The running stage ran out of time (the sweep set `overdue_at`) and the order is still open."""
        return self.status in OPEN_STATUSES and self.overdue_at is not None

    @property
    def hall_ids(self) -> set[int]:
        return {self.hall_id} | ({self.handling_hall_id} if self.handling_hall_id else set())


class WorkOrderEvent(HallOwned, EventRow):
    class Kind(models.TextChoices):
        CREATED = "created", _("受理建单")
        ADVANCED = "advanced", _("完成环节")
        COMPLETED = "completed", _("办结")
        WAITING = "waiting", _("等待客户")
        RESUMED = "resumed", _("恢复办理")
        TERMINATED = "terminated", _("终止")
        REPLIED = "replied", _("答复客户")
        REASSIGNED = "reassigned", _("变更责任柜员")
        STALLED = "stalled", _("环节超期")

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events", verbose_name=_("工单"))
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)

    class Meta(EventRow.Meta):
        verbose_name = _("工单事件")
        verbose_name_plural = _("工单事件")
        indexes = [models.Index(fields=["order", "at"], name="workorder_event_order_at_idx")]


class EnquiryStatus(models.TextChoices):
    OPEN = "open", _("处理中")
    HANDOVER = "handover", _("待接手")
    SOLVED = "solved", _("已解决")


class Enquiry(HallOwned):
    """首问负责制: `owner` is the first person asked until the enquiry is solved or a hand-over to `handover_to`
    is accepted by that person; a hand-over not (yet) accepted leaves it with the owner."""

    class Channel(models.TextChoices):
        COUNTER = "counter", _("柜台")
        GUIDE_DESK = "guide_desk", _("引导台")
        PHONE = "phone", _("电话")

    number = models.CharField(_("编号"), max_length=24, unique=True)
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    question = models.TextField(_("咨询内容"))
    customer_name = models.CharField(_("客户姓名"), max_length=60, blank=True)
    customer_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    first_asked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("首问责任人"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("当前负责人"))
    handover_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("移交给"))
    handover_note = models.CharField(_("移交说明"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=EnquiryStatus.choices, default=EnquiryStatus.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    asked_at = models.DateTimeField(_("咨询时间"))
    solved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("首问咨询")
        verbose_name_plural = _("首问咨询")
        ordering = ["-asked_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="handover") | Q(handover_to__isnull=False), name="enquiry_handover_names_whom"),
            models.CheckConstraint(condition=~Q(status="solved") | Q(solved_at__isnull=False), name="enquiry_solved_has_time"),
        ]
        indexes = [models.Index(fields=["hall", "asked_at"], name="enquiry_hall_asked_idx")]

    def __str__(self):
        return self.number

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.customer_phone)


class EnquiryEvent(HallOwned, EventRow):
    class Kind(models.TextChoices):
        OPENED = "opened", _("首问登记")
        HANDOVER_OFFERED = "handover_offered", _("提出移交")
        HANDOVER_ACCEPTED = "handover_accepted", _("接手")
        HANDOVER_DECLINED = "handover_declined", _("拒绝接手")
        HANDOVER_WITHDRAWN = "handover_withdrawn", _("撤回移交")
        SOLVED = "solved", _("解决")

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="events", verbose_name=_("咨询"))
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)

    class Meta(EventRow.Meta):
        verbose_name = _("首问咨询事件")
        verbose_name_plural = _("首问咨询事件")
        indexes = [models.Index(fields=["enquiry", "at"], name="enquiry_event_at_idx")]
