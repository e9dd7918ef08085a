"""The visit loop's data: tickets, appointments, services, ratings, counter states, pauses, the
append-only ticket event log and queue-surge alerts. Invariants that must never break are database
constraints (one active ticket per counter, unique ticket numbers, one open surge per hall)."""
import decimal
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from servicehall.core.models import EventRow
from servicehall.core.privacy import mask_phone
from servicehall.org.tenancy import HallOwned


class PriorityReason(models.TextChoices):
    NONE = "none", _("普通")
    ELDERLY = "elderly", _("老年人优先")
    DISABLED = "disabled", _("残障人士优先")
    GREEN = "green", _("绿色通道")
    VIP = "vip", _("VIP/大客户")
    APPOINTMENT = "appointment", _("预约")


# Green channel and VIP are granted by the guide or the hall leader (R-Q2): on a ticket they take, or by a one-time
# code typed at the kiosk (PriorityGrant). Elderly and disabled customers declare themselves.
GRANTED_PRIORITIES = (PriorityReason.GREEN, PriorityReason.VIP)
SELF_DECLARED_PRIORITIES = (PriorityReason.ELDERLY, PriorityReason.DISABLED)

# Priority values (higher is called first; within a value, earlier `queue_at` first, then id).
# *(design)* configurable here only, documented in the UI help:
#   0   ordinary ticket
#   10  appointment checked in on time: joins at its slot time (queue_at = slot), ahead of walk-ins
#       whose ticket is later than the slot; an early check-in is not callable before the slot;
#       a late check-in (after the grace period) joins now as an ordinary ticket.
#   20  elderly, disabled and VIP / key-account customers (优先、优惠、优质)
#   30  green channel (绿色通道: urgent cases the hall leader lets through)
#   100 directed transfer: a ticket sent to one named counter is that counter's next call
PRIORITY_VALUES = {
    PriorityReason.NONE: 0,
    PriorityReason.APPOINTMENT: 10,
    PriorityReason.ELDERLY: 20,
    PriorityReason.DISABLED: 20,
    PriorityReason.VIP: 20,
    PriorityReason.GREEN: 30,
}
DIRECTED_PRIORITY = 100


class QueueSettings(models.Model):
    """Per-hall queue thresholds; created on demand with the documented *(design)* defaults."""

    hall = models.OneToOneField("org.Hall", on_delete=models.CASCADE, related_name="queue_settings", verbose_name=_("营业厅"))
    surge_waiting_threshold = models.PositiveIntegerField(
        _("排队激增：等候人数阈值"), default=30, help_text=_("默认 30 人（可配置）。")
    )
    surge_longest_wait_seconds = models.PositiveIntegerField(
        _("排队激增：最长等候秒数阈值"), default=1800, help_text=_("默认 1800 秒（30 分钟，可配置）。")
    )
    surge_predicted_wait_seconds = models.PositiveIntegerField(
        _("排队激增：新到客户预计等候秒数阈值"), default=1800,
        help_text=_("默认 1800 秒（30 分钟，可配置）：新取号客户的预计等候超过该值即告警。"),
    )
    surge_target_wait_seconds = models.PositiveIntegerField(
        _("服务目标：等候不超过（秒）"), default=900, help_text=_("默认 900 秒（15 分钟）：用于计算建议增开窗口数。")
    )
    surge_target_share = models.DecimalField(
        _("服务目标：达标客户占比"), max_digits=3, decimal_places=2, default=decimal.Decimal("0.80"),
        help_text=_("默认 0.80：80% 的客户在目标时间内得到服务。"),
    )
    surge_close_share = models.DecimalField(
        _("激增解除比例"), max_digits=3, decimal_places=2, default=decimal.Decimal("0.70"),
        help_text=_("默认 0.70：等候人数与最长等候均低于阈值的 70% 时解除（防止反复告警）。"),
    )
    recalls_before_no_show = models.PositiveSmallIntegerField(
        _("过号前需重呼次数"), default=2, help_text=_("默认 2 次：重呼满该次数后方可标记过号。")
    )
    appointment_grace_seconds = models.PositiveIntegerField(
        _("预约迟到宽限（秒）"), default=600, help_text=_("默认 600 秒：超过预约时段开始该时间后签到，按普通号即时排队。")
    )
    rating_window_seconds = models.PositiveIntegerField(
        _("评价器评价时限（秒）"), default=900,
        help_text=_("默认 900 秒（15 分钟）：办结后在该时间内、下一位客户开始办理前，评价器可评价本次服务。"),
    )

    class Meta:
        verbose_name = _("排队设置")
        verbose_name_plural = _("排队设置")

    def __str__(self):
        return _("%(hall)s 排队设置") % {"hall": self.hall}


class Appointment(HallOwned):
    code = models.CharField(_("预约码"), max_length=12)
    category = models.ForeignKey("catalogue.ServiceCategory", on_delete=models.PROTECT, related_name="+", verbose_name=_("服务类别"))
    slot_start = models.DateTimeField(_("预约时段开始"))
    customer_name = models.CharField(_("客户姓名"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    ticket = models.OneToOneField(
        "Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="appointment_record", verbose_name=_("签到票号")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["slot_start"]
        constraints = [models.UniqueConstraint(fields=["hall", "code"], name="appointment_code_unique_in_hall")]

    def __str__(self):
        return f"{self.code} {self.slot_start:%Y-%m-%d %H:%M}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class PriorityGrant(HallOwned):
    """A one-time code for green channel or VIP (R-Q2): the guide or hall leader makes it on their phone, the customer
    types it at the kiosk within its minutes; the ticket it gave marks it used."""

    reason = models.CharField(_("优先原因"), max_length=12, choices=[(r.value, r.label) for r in GRANTED_PRIORITIES])
    code = models.CharField(_("授权码"), max_length=8)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("授权人"))
    expires_at = models.DateTimeField(_("有效期至"))
    ticket = models.OneToOneField("Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="priority_grant",
                                  verbose_name=_("使用的票"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("优先授权")
        verbose_name_plural = _("优先授权")
        ordering = ["-created_at", "-id"]
        constraints = [
            # an unused code names one grant in its hall (a used one may be drawn again later)
            models.UniqueConstraint(fields=["hall", "code"], condition=Q(used_at__isnull=True), name="priority_grant_code_unused_unique"),
            models.CheckConstraint(condition=Q(reason__in=["green", "vip"]), name="priority_grant_reason_granted"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} {self.expires_at:%Y-%m-%d %H:%M}"


class Ticket(HallOwned):
    class Status(models.TextChoices):
        WAITING = "waiting", _("等候中")
        CALLED = "called", _("已叫号")
        SERVING = "serving", _("办理中")
        DONE = "done", _("已办结")
        NO_SHOW = "no_show", _("过号")
        CANCELLED = "cancelled", _("已取消")
        TRANSFERRED = "transferred", _("已转办")

    ACTIVE = (Status.CALLED, Status.SERVING)
    FINAL = (Status.DONE, Status.NO_SHOW, Status.CANCELLED, Status.TRANSFERRED)

    business_day = models.DateField(_("营业日"))
    category = models.ForeignKey("catalogue.ServiceCategory", on_delete=models.PROTECT, related_name="tickets", verbose_name=_("服务类别"))
    number = models.PositiveIntegerField(_("序号"))
    code = models.CharField(_("票号"), max_length=8)
    priority = models.SmallIntegerField(_("优先级"), default=0)
    priority_reason = models.CharField(_("优先原因"), max_length=12, choices=PriorityReason.choices, default=PriorityReason.NONE)
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("预约")
    )
    queue_at = models.DateTimeField(_("排队时间"))
    issued_at = models.DateTimeField(_("取号时间"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.WAITING)
    counter = models.ForeignKey(
        "org.Counter", null=True, blank=True, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("窗口")
    )
    directed_to = models.ForeignKey(
        "org.Counter", null=True, blank=True, on_delete=models.PROTECT, related_name="directed_tickets",
        verbose_name=_("指定窗口"),
    )
    called_at = models.DateTimeField(_("叫号时间"), null=True, blank=True)
    recall_count = models.PositiveSmallIntegerField(_("重呼次数"), default=0)
    public_token = models.UUIDField(_("公开查询令牌"), default=uuid.uuid4, unique=True, editable=False)
    transferred_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("转自")
    )
    device = models.ForeignKey(
        "org.Device", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("取号设备")
    )

    class Meta:
        verbose_name = _("排队票")
        verbose_name_plural = _("排队票")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "business_day", "category", "number"], name="ticket_number_unique_per_day"),
            # R-Q4: a counter holds at most one ticket that is called or in service.
            models.UniqueConstraint(fields=["counter"], condition=Q(status__in=["called", "serving"]), name="ticket_one_active_per_counter"),
            models.CheckConstraint(
                condition=~Q(status__in=["called", "serving"]) | Q(counter__isnull=False), name="ticket_active_has_counter"
            ),
            models.CheckConstraint(condition=~Q(status="waiting") | Q(counter__isnull=True), name="ticket_waiting_has_no_counter"),
        ]
        indexes = [
            # The call-next index: column order matches ORDER BY so LIMIT 1 … SKIP LOCKED stops at the
            # first free row; categories are filtered on the rows walked (conventions.md).
            models.Index(
                "hall", models.F("priority").desc(), "queue_at", "id",
                condition=Q(status="waiting"), name="ticket_call_next_idx",
            ),
            models.Index(fields=["hall", "business_day"], name="ticket_hall_day_idx"),
        ]

    def __str__(self):
        return self.code

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class TicketSequence(HallOwned):
    """The last number given per hall, business day and category; bumped with one upsert statement
    (INSERT … ON CONFLICT DO UPDATE … RETURNING), so concurrent kiosks never share a number."""

    business_day = models.DateField(_("营业日"))
    category = models.ForeignKey("catalogue.ServiceCategory", on_delete=models.CASCADE, related_name="+", verbose_name=_("服务类别"))
    last_number = models.PositiveIntegerField(_("最后序号"), default=0)

    class Meta:
        verbose_name = _("票号序列")
        verbose_name_plural = _("票号序列")
        constraints = [models.UniqueConstraint(fields=["hall", "business_day", "category"], name="ticket_sequence_unique")]

    def __str__(self):
        return f"{self.business_day} {self.category_id}: {self.last_number}"


class OverrunReason(models.TextChoices):
    COMPLEX = "complex_business", _("业务复杂")
    SYSTEM = "system_fault", _("系统故障")
    DOCUMENTS = "customer_documents", _("客户资料不全")
    REQUEST = "customer_request", _("客户额外诉求")
    OTHER = "other", _("其他")


class Service(HallOwned):
    """One handling of a ticket at a counter (R-Q3, R-Q8)."""

    class Outcome(models.TextChoices):
        DONE = "done", _("办结")
        FOLLOW_UP = "follow_up", _("需后续跟进")
        REFUSED = "refused", _("不予受理")
        REFERRED = "referred", _("转办")

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="services", verbose_name=_("排队票"))
    counter = models.ForeignKey("org.Counter", on_delete=models.PROTECT, related_name="services", verbose_name=_("窗口"))
    teller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="services", verbose_name=_("柜员")
    )
    started_at = models.DateTimeField(_("开始办理"))
    finished_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    business_types = models.ManyToManyField("catalogue.BusinessType", blank=True, related_name="services", verbose_name=_("业务类型"))
    item_count = models.PositiveSmallIntegerField(_("业务笔数"), default=0)
    outcome = models.CharField(_("办理结果"), max_length=12, choices=Outcome.choices, blank=True)
    time_limit_seconds = models.PositiveIntegerField(_("办理时限（秒）"))
    limit_due_at = models.DateTimeField(_("时限到期"), null=True, blank=True)
    limit_flagged_at = models.DateTimeField(_("超时告警于"), null=True, blank=True)
    handling_seconds = models.PositiveIntegerField(_("办理用时（秒）"), null=True, blank=True)
    over_limit = models.BooleanField(_("超时"), default=False)
    overrun_reason = models.CharField(_("超时原因"), max_length=20, choices=OverrunReason.choices, blank=True)
    overrun_note = models.CharField(_("超时说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("业务办理")
        verbose_name_plural = _("业务办理")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["counter"], condition=Q(finished_at__isnull=True), name="service_one_running_per_counter"),
            models.UniqueConstraint(fields=["ticket"], condition=Q(finished_at__isnull=True), name="service_one_running_per_ticket"),
            models.CheckConstraint(
                condition=Q(over_limit=False) | ~Q(overrun_reason=""), name="service_overrun_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["hall", "started_at"], name="service_hall_started_idx"),
            models.Index(fields=["limit_due_at"], condition=Q(finished_at__isnull=True, limit_flagged_at__isnull=True), name="service_limit_due_idx"),
        ]

    def __str__(self):
        return f"{self.ticket_id}@{self.counter_id} {self.started_at:%Y-%m-%d %H:%M}"


class Rating(HallOwned):
    class Score(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    class Reason(models.TextChoices):
        ATTITUDE = "attitude", _("服务态度")
        SLOW = "slow", _("办理太慢")
        NOT_SOLVED = "not_solved", _("问题未解决")
        EXPLANATION = "explanation", _("解释不清")
        WAIT = "wait", _("等候太久")
        ENVIRONMENT = "environment", _("环境设施")
        OTHER = "other", _("其他")

    service = models.OneToOneField(Service, on_delete=models.PROTECT, related_name="rating", verbose_name=_("业务办理"))
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("排队票"))
    counter = models.ForeignKey("org.Counter", on_delete=models.PROTECT, related_name="ratings", verbose_name=_("窗口"))
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("柜员"))
    score = models.CharField(_("评价"), max_length=12, choices=Score.choices)
    reasons = models.JSONField(_("不满意原因"), default=list, blank=True)
    comment = models.CharField(_("留言"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("评价时间"))
    device = models.ForeignKey("org.Device", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("评价器"))

    class Meta:
        verbose_name = _("服务评价")
        verbose_name_plural = _("服务评价")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["hall", "created_at"], name="rating_hall_created_idx")]

    def __str__(self):
        return f"{self.get_score_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def reason_labels(self) -> list[str]:
        labels = dict(self.Reason.choices)
        return [str(labels.get(r, r)) for r in self.reasons or []]


class PauseReason(models.TextChoices):
    BREAK = "break", _("短暂休息")
    MEETING = "meeting", _("会议")
    BACK_OFFICE = "back_office", _("后台业务")
    TRAINING = "training", _("培训")
    OTHER = "other", _("其他")


class CounterState(HallOwned):
    class State(models.TextChoices):
        CLOSED = "closed", _("未开放")
        OPEN = "open", _("服务中")
        PAUSED = "paused", _("暂停服务")

    counter = models.OneToOneField("org.Counter", on_delete=models.CASCADE, related_name="queue_state", verbose_name=_("窗口"))
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.CLOSED)
    teller = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("签到柜员")
    )
    since = models.DateTimeField(_("状态开始"), null=True, blank=True)
    pause_reason = models.CharField(_("暂停原因"), max_length=12, choices=PauseReason.choices, blank=True)

    class Meta:
        verbose_name = _("窗口状态")
        verbose_name_plural = _("窗口状态")
        constraints = [
            models.CheckConstraint(condition=Q(state="closed") | Q(teller__isnull=False), name="counter_state_open_has_teller"),
        ]

    def __str__(self):
        return f"{self.counter_id}: {self.get_state_display()}"


class CounterPause(HallOwned):
    """R-Q5 离席亮牌: one pause of a counter with its reason, start and end."""

    counter = models.ForeignKey("org.Counter", on_delete=models.PROTECT, related_name="pauses", verbose_name=_("窗口"))
    teller = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("柜员")
    )
    reason = models.CharField(_("暂停原因"), max_length=12, choices=PauseReason.choices)
    started_at = models.DateTimeField(_("开始"))
    ended_at = models.DateTimeField(_("结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("离席暂停记录")
        verbose_name_plural = _("离席暂停记录")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["counter"], condition=Q(ended_at__isnull=True), name="counter_pause_one_open"),
        ]

    def __str__(self):
        return f"{self.counter_id} {self.get_reason_display()} {self.started_at:%H:%M}"

    @property
    def duration_seconds(self) -> int | None:
        return int((self.ended_at - self.started_at).total_seconds()) if self.ended_at else None


class TicketEvent(HallOwned, EventRow):
    """Append-only typed transition log: the timeline and every figure are computed from these rows."""

    class Kind(models.TextChoices):
        TAKEN = "ticket_taken", pgettext_lazy("queue event", "取号")
        REQUEUED = "ticket_requeued", pgettext_lazy("queue event", "转办入队")
        CALLED = "ticket_called", pgettext_lazy("queue event", "叫号")
        RECALLED = "ticket_recalled", pgettext_lazy("queue event", "重呼")
        NO_SHOW = "ticket_no_show", pgettext_lazy("queue event", "过号")
        STARTED = "service_started", pgettext_lazy("queue event", "开始办理")
        FINISHED = "service_finished", pgettext_lazy("queue event", "办结")
        TRANSFERRED = "ticket_transferred", pgettext_lazy("queue event", "转办")
        CANCELLED = "ticket_cancelled", pgettext_lazy("queue event", "取消")
        OVER_LIMIT = "over_limit", pgettext_lazy("queue event", "办理超时")
        RATED = "rating_received", pgettext_lazy("queue event", "收到评价")

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events", verbose_name=_("排队票"))
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)
    counter = models.ForeignKey("org.Counter", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("窗口"))
    device = models.ForeignKey("org.Device", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("设备"))

    class Meta(EventRow.Meta):
        verbose_name = _("排队事件")
        verbose_name_plural = _("排队事件")
        indexes = [
            models.Index(fields=["ticket", "at"], name="ticket_event_ticket_idx"),
            models.Index(fields=["hall", "kind", "at"], name="ticket_event_hall_kind_idx"),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.kind} {self.from_status}→{self.to_status}"


class SurgeAlert(HallOwned):
    """R-Q9: one alert per surge episode, with its recommendation; kept as a record after closing."""

    opened_at = models.DateTimeField(_("开始时间"))
    closed_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    peak_waiting = models.PositiveIntegerField(_("峰值等候人数"), default=0)
    peak_longest_wait_seconds = models.PositiveIntegerField(_("峰值最长等候（秒）"), default=0)
    recommended_extra_counters = models.PositiveSmallIntegerField(_("建议增开窗口数"), default=0)
    recommend_self_service = models.BooleanField(_("建议引导自助办理"), default=False)
    detail = models.JSONField(_("测算依据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("排队激增告警")
        verbose_name_plural = _("排队激增告警")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["hall"], condition=Q(closed_at__isnull=True), name="surge_one_open_per_hall"),
        ]

    def __str__(self):
        return f"{self.hall_id} {self.opened_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
