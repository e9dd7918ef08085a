"""Customer voice (R-C1…R-C6): one case per voice, its closed loop with step deadlines, attribution,
typed timeline, early warnings and the import of hotline work orders."""
import hashlib

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicehall.core.deadlines import DeadlineFields
from servicehall.core.models import EventRow
from servicehall.core.privacy import mask_phone
from servicehall.org.tenancy import HallOwned


class Channel(models.TextChoices):
    """Where a voice came in (R-C1)."""

    HOTLINE_95598 = "hotline_95598", _("95598 热线工单")
    HOTLINE_10086 = "hotline_10086", _("10086 热线工单")
    EVALUATION_PAD = "evaluation_pad", _("评价器不满意")
    ON_SITE = "on_site", _("现场投诉")
    COMMENT_BOOK = "comment_book", _("意见簿")
    COMMENT_BOX = "comment_box", _("意见箱")
    SUPERVISION_HOTLINE = "supervision_hotline", _("监督热线")
    CONSUMER_COUNCIL = "consumer_council", _("消协 / 12315")
    SOCIAL_SUPERVISOR = "social_supervisor", _("社会（行风）监督员")
    STAFF_SUGGESTION = "staff_suggestion", _("我为服务进一言")


# Channels whose loop ends with the reply: a staff suggestion is answered, not revisited.
NO_REVISIT_CHANNELS = (Channel.STAFF_SUGGESTION,)
# Channels the front of the hall writes down itself (the rest come from hotlines and outside bodies).
STAFF_CHANNELS = frozenset({Channel.STAFF_SUGGESTION, Channel.COMMENT_BOOK, Channel.COMMENT_BOX, Channel.ON_SITE})


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    DISSATISFACTION = "dissatisfaction", _("不满意评价")
    OPINION = "opinion", _("意见")
    SUGGESTION = "suggestion", _("建议")


DEFAULT_KIND = {
    Channel.HOTLINE_95598: Kind.COMPLAINT,
    Channel.HOTLINE_10086: Kind.COMPLAINT,
    Channel.EVALUATION_PAD: Kind.DISSATISFACTION,
    Channel.ON_SITE: Kind.COMPLAINT,
    Channel.COMMENT_BOOK: Kind.OPINION,
    Channel.COMMENT_BOX: Kind.OPINION,
    Channel.SUPERVISION_HOTLINE: Kind.COMPLAINT,
    Channel.CONSUMER_COUNCIL: Kind.COMPLAINT,
    Channel.SOCIAL_SUPERVISOR: Kind.OPINION,
    Channel.STAFF_SUGGESTION: Kind.SUGGESTION,
}


class Severity(models.TextChoices):
    NORMAL = "normal", _("一般")
    IMPORTANT = "important", _("重要")
    URGENT = "urgent", _("紧急")


class Status(models.TextChoices):
    NEW = "new", _("待受理")
    HANDLING = "handling", _("处理中")
    FEEDBACK = "feedback", _("待反馈")
    REVISIT = "revisit", _("待回访")
    CLOSING = "closing", _("待结案")
    CLOSED = "closed", _("已结案")
    CANCELLED = "cancelled", _("已撤销")


OPEN_STATUSES = (Status.NEW, Status.HANDLING, Status.FEEDBACK, Status.REVISIT, Status.CLOSING)


class Step(models.TextChoices):
    """The closed loop (R-C2): accept → handle → feedback → revisit → close; each step has a deadline."""

    ACCEPT = "accept", _("受理")
    HANDLE = "handle", _("处理")
    FEEDBACK = "feedback", _("反馈")
    REVISIT = "revisit", _("回访")
    CLOSE = "close", _("结案")


STEP_OF_STATUS = {
    Status.NEW: Step.ACCEPT,
    Status.HANDLING: Step.HANDLE,
    Status.FEEDBACK: Step.FEEDBACK,
    Status.REVISIT: Step.REVISIT,
    Status.CLOSING: Step.CLOSE,
}


class LatentTrigger(models.TextChoices):
    """Key causes of latent dissatisfaction (客户潜在不满意的关键诱因, seed 001)."""

    PROMISE_NOT_KEPT = "promise_not_kept", _("服务承诺无兑现")
    INCONVENIENT_PROCEDURE = "inconvenient_procedure", _("手续流程不方便")
    SLOW = "slow", _("业务办理效率低")
    ATTITUDE = "attitude", _("服务人员态度差")
    UNSOLVED = "unsolved", _("解决问题效果差")


class CustomerType(models.TextChoices):
    """Step 3 of the six-step handling (掌握顾客类型). *(design: the seed names the step, not the types)*"""

    RATIONAL = "rational", _("理智型")
    IMPATIENT = "impatient", _("急躁型")
    DEMANDING = "demanding", _("挑剔型")
    HESITANT = "hesitant", _("犹豫型")
    VULNERABLE = "vulnerable", _("特殊群体（老弱病残孕）")


class FeedbackMethod(models.TextChoices):
    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    IN_PERSON = "in_person", _("当面")
    WRITTEN = "written", _("书面答复")


class RevisitResult(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    UNREACHABLE = "unreachable", _("无法联系")


class RootCause(models.Model):
    """Root-cause categories for attribution (R-C3), seeded from the risk taxonomy of seed 001 and the
    report of seed 000; administrators extend the list."""

    class Group(models.TextChoices):
        GUIDANCE = "guidance", _("分流导办")
        SELF_SERVICE = "self_service", _("自助服务")
        CONSULTATION = "consultation", _("咨询查询")
        ACCEPTANCE = "acceptance", _("综合业务受理")
        FEE = "fee", _("收费")
        CONDUCT = "conduct", _("服务行为")
        ENVIRONMENT = "environment", _("环境与宣传")
        EXTERNAL = "external", _("非营业厅原因")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    group = models.CharField(_("风险环节"), max_length=20, choices=Group.choices)
    hall_fault = models.BooleanField(
        _("通常为营业厅责任"), default=True, help_text=_("定责时的默认值；每件个案仍由定责人确认。")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("问题类别 / 原因")
        verbose_name_plural = _("问题类别 / 原因")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class DeadlinePolicy(models.Model):
    """Working-time limits of each step, per channel and severity *(design: the seeds give no values)*.

    Lookup: the row for exactly (channel, severity) wins; otherwise each step takes the stricter of
    the channel row and the severity row; otherwise the default row (both blank)."""

    channel = models.CharField(_("渠道"), max_length=24, choices=Channel.choices, blank=True, help_text=_("留空表示所有渠道"))
    severity = models.CharField(_("紧急程度"), max_length=12, choices=Severity.choices, blank=True, help_text=_("留空表示所有等级"))
    accept_minutes = models.PositiveIntegerField(_("受理时限（工作分钟）"))
    handle_minutes = models.PositiveIntegerField(_("处理时限（工作分钟）"))
    feedback_minutes = models.PositiveIntegerField(_("反馈时限（工作分钟）"))
    revisit_minutes = models.PositiveIntegerField(_("回访时限（工作分钟）"))
    close_minutes = models.PositiveIntegerField(_("结案时限（工作分钟）"))
    escalate_minutes = models.PositiveIntegerField(
        _("升级时限（工作分钟）"), help_text=_("超期升级到营业厅班长后，仍未处理再经过这段工作时间升级到区域服务专责。")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("环节时限")
        verbose_name_plural = _("环节时限")
        ordering = ["channel", "severity"]
        constraints = [models.UniqueConstraint(fields=["channel", "severity"], name="deadline_policy_unique")]

    def __str__(self):
        return f"{self.get_channel_display() or _('所有渠道')} / {self.get_severity_display() or _('所有等级')}"

    def minutes(self, step: str) -> int:
        return getattr(self, f"{step}_minutes")


class WarningThresholds(models.Model):
    """Early-warning thresholds (R-C4) *(design)*; the row without a hall is the default for every hall."""

    hall = models.OneToOneField(
        "org.Hall", null=True, blank=True, on_delete=models.CASCADE, related_name="case_thresholds", verbose_name=_("营业厅"),
        help_text=_("留空表示默认值"),
    )
    window_days = models.PositiveSmallIntegerField(_("统计窗口（天）"), default=30)
    repeat_customer_count = models.PositiveSmallIntegerField(
        _("同一客户重复诉求件数"), default=2, help_text=_("窗口内同一客户（按电话）达到该件数即预警")
    )
    repeat_issue_count = models.PositiveSmallIntegerField(
        _("同一问题重复诉求件数"), default=3,
        help_text=_("窗口内同一营业厅同一问题类别达到该件数即预警；上一条同类预警关闭后重新计数")
    )
    complaint_rate_per_10k = models.DecimalField(
        _("投诉率阈值（件/万笔）"), max_digits=7, decimal_places=2, default=5,
        help_text=_("窗口内营业厅有责的投诉件数 ÷ 取号量 × 10 000"),
    )
    rate_min_tickets = models.PositiveIntegerField(
        _("计算投诉率的最少取号量"), default=1000, help_text=_("取号量不足时不计算投诉率，避免小样本误报")
    )
    latent_trigger_count = models.PositiveSmallIntegerField(
        _("潜在不满意诱因件数"), default=5,
        help_text=_("窗口内同一营业厅同一诱因达到该件数即预警；上一条同类预警关闭后重新计数"),
    )

    class Meta:
        verbose_name = _("预警阈值")
        verbose_name_plural = _("预警阈值")

    def __str__(self):
        return str(self.hall) if self.hall_id else str(_("默认阈值"))


class Case(HallOwned, DeadlineFields):
    """One customer voice and its closed loop. The customer's phone is stored once, here, and shown
    masked everywhere (R-P1)."""

    number = models.CharField(_("编号"), max_length=24, unique=True, null=True, editable=False)
    channel = models.CharField(_("渠道"), max_length=24, choices=Channel.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    severity = models.CharField(_("紧急程度"), max_length=12, choices=Severity.choices, default=Severity.NORMAL)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.NEW)
    external_ref = models.CharField(_("工单编号"), max_length=40, blank=True, help_text=_("热线工单等外部编号"))
    received_at = models.DateTimeField(_("受理时间"))
    title = models.CharField(_("诉求摘要"), max_length=120)
    description = models.TextField(_("诉求内容"), blank=True)
    issue = models.ForeignKey(
        RootCause, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("问题类别"),
        help_text=_("受理时判断的问题类别，用于同一问题重复诉求预警"),
    )
    customer_name = models.CharField(_("客户姓名"), max_length=60, blank=True)
    customer_phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    # The service record the voice is about (R-C5).
    ticket = models.ForeignKey(
        "queueing.Ticket", null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name=_("排队票")
    )
    service = models.ForeignKey(
        "queueing.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name=_("业务办理")
    )
    rating = models.OneToOneField(
        "queueing.Rating", null=True, blank=True, on_delete=models.PROTECT, related_name="case", verbose_name=_("评价")
    )
    counter = models.ForeignKey(
        "org.Counter", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("窗口")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="cases_about",
        verbose_name=_("涉及员工"),
    )
    service_at = models.DateTimeField(_("服务时间"), null=True, blank=True)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="cases_owned",
        verbose_name=_("责任处理人"),
    )

    # The six steps of handling (投诉处理 6 步走, seed 001).
    handling_soothe = models.TextField(_("受理安抚"), blank=True)
    handling_info = models.TextField(_("收集顾客信息"), blank=True)
    customer_type = models.CharField(_("顾客类型"), max_length=12, choices=CustomerType.choices, blank=True)
    handling_communication = models.TextField(_("沟通情况"), blank=True)
    handling_facts = models.TextField(_("确认事实与需求"), blank=True)
    handling_resolution = models.TextField(_("解决方案"), blank=True)

    feedback_method = models.CharField(_("反馈方式"), max_length=12, choices=FeedbackMethod.choices, blank=True)
    feedback_content = models.TextField(_("反馈内容"), blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    revisit_result = models.CharField(_("回访结果"), max_length=12, choices=RevisitResult.choices, blank=True)
    revisit_note = models.TextField(_("回访记录"), blank=True)
    revisit_at = models.DateTimeField(_("回访时间"), null=True, blank=True)

    # Attribution (R-C3): required before closing.
    hall_responsible = models.BooleanField(_("营业厅有责"), null=True, blank=True)
    root_cause = models.ForeignKey(
        RootCause, null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name=_("原因类别")
    )
    responsible_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="cases_responsible",
        verbose_name=_("责任人"),
    )
    rectification = models.TextField(_("整改措施"), blank=True)
    penalty = models.CharField(_("考核处理"), max_length=200, blank=True)
    acknowledgement = models.FileField(_("客户确认函"), upload_to="cases/acknowledgements/%Y/%m/", blank=True)
    attributed_at = models.DateTimeField(_("定责时间"), null=True, blank=True)

    # Escalation: overdue → hall leader (1); still overdue after the escalation time → region supervisor (2).
    escalation_level = models.PositiveSmallIntegerField(_("升级层级"), default=0)
    region_escalation_due_at = models.DateTimeField(_("升级至区域时间"), null=True, blank=True, db_index=True)
    escalated_to_region_at = models.DateTimeField(_("已升级至区域于"), null=True, blank=True)
    overdue_count = models.PositiveSmallIntegerField(_("超期环节数"), default=0)
    clock_pause_reason = models.CharField(_("暂停原因"), max_length=200, blank=True)

    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    close_note = models.TextField(_("结案说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("客户诉求")
        verbose_name_plural = _("客户诉求")
        ordering = ["-received_at", "-id"]
        constraints = [
            # Importing the same hotline file twice creates nothing twice.
            models.UniqueConstraint(fields=["channel", "external_ref"], condition=~Q(external_ref=""), name="case_external_ref_unique"),
            models.CheckConstraint(condition=Q(escalation_level__lte=2), name="case_escalation_level_range"),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(hall_responsible__isnull=False) & Q(closed_at__isnull=False)),
                name="case_closed_is_attributed",
            ),
        ]
        indexes = [
            models.Index(fields=["hall", "received_at"], name="case_hall_received_idx"),
            models.Index(fields=["customer_phone", "received_at"], name="case_phone_received_idx"),
            models.Index(fields=["status", "hall"], name="case_status_hall_idx"),
        ]

    def __str__(self):
        return f"{self.number or '—'} {self.title}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.customer_phone)

    @property
    def step(self) -> str | None:
        return STEP_OF_STATUS.get(self.status)

    @property
    def step_label(self) -> str:
        return str(Step(self.step).label) if self.step else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_attributed(self) -> bool:
        if self.kind == Kind.SUGGESTION:
            return bool(self.rectification) and self.hall_responsible is not None
        return self.hall_responsible is not None and self.root_cause_id is not None and bool(self.rectification)

    @property
    def needs_revisit(self) -> bool:
        return self.channel not in NO_REVISIT_CHANNELS


class LatentSignal(HallOwned):
    """A key cause of latent dissatisfaction seen on a case (at intake, from a rating's reasons, from a
    missed deadline or an unsatisfied revisit); counted per hall for the latent warnings (R-C4)."""

    class Source(models.TextChoices):
        INTAKE = "intake", _("受理时判断")
        RATING = "rating", _("评价原因")
        OVERDUE = "overdue", _("环节超期")
        REVISIT = "revisit", _("回访不满意")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="signals", verbose_name=_("诉求"))
    trigger = models.CharField(_("诱因"), max_length=24, choices=LatentTrigger.choices)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("潜在不满意诱因")
        verbose_name_plural = _("潜在不满意诱因")
        constraints = [models.UniqueConstraint(fields=["case", "trigger"], name="latent_signal_once_per_case")]
        indexes = [models.Index(fields=["hall", "trigger", "at"], name="latent_hall_trigger_at_idx")]


class CaseEvent(HallOwned, EventRow):
    """The typed timeline of a case: append-only, one row per change (who, when, from → to, what)."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("登记")
        ACCEPTED = "accepted", _("受理")
        OWNER_CHANGED = "owner_changed", _("变更责任人")
        HANDLING_SAVED = "handling_saved", _("记录处理过程")
        HANDLED = "handled", _("处理完成")
        CLOCK_PAUSED = "clock_paused", _("暂停计时")
        CLOCK_RESUMED = "clock_resumed", _("恢复计时")
        FEEDBACK = "feedback", _("反馈客户")
        REVISITED = "revisited", _("回访")
        REOPENED = "reopened", _("回访不满意，重新处理")
        ATTRIBUTED = "attributed", _("定责")
        CLOSED = "closed", _("结案")
        CANCELLED = "cancelled", _("撤销")
        DEADLINE_WARNING = "deadline_warning", _("时限预警")
        OVERDUE = "overdue", _("超期")
        ESCALATED = "escalated", _("升级")
        WARNING_RAISED = "warning_raised", _("触发预警")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("诉求"))
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)

    class Meta(EventRow.Meta):
        verbose_name = _("诉求事件")
        verbose_name_plural = _("诉求事件")
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class EarlyWarning(HallOwned):
    """An early warning (R-C4): a record with its own closing. While one is open for a hall and key,
    new matching cases join it instead of raising another."""

    class Kind(models.TextChoices):
        REPEAT_CUSTOMER = "repeat_customer", _("同一客户重复诉求")
        REPEAT_ISSUE = "repeat_issue", _("同一问题重复诉求")
        COMPLAINT_RATE = "complaint_rate", _("投诉率超过阈值")
        LATENT = "latent", _("潜在不满意诱因")

    class State(models.TextChoices):
        OPEN = "open", _("未关闭")
        CLOSED = "closed", _("已关闭")

    kind = models.CharField(_("预警类型"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("预警键"), max_length=80, help_text=_("同一营业厅同一类型下区分预警对象（客户电话摘要、问题类别、诱因）"))
    title = models.CharField(_("预警内容"), max_length=200)
    detail = models.JSONField(_("依据"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    cases = models.ManyToManyField(Case, blank=True, related_name="warnings", verbose_name=_("相关诉求"))
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(_("预警时间"))
    last_seen_at = models.DateTimeField(_("最近触发"))
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("关闭人"))
    close_note = models.TextField(_("处置说明"), blank=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "kind", "key"], condition=Q(state="open"), name="warning_one_open_per_key"),
        ]

    def __str__(self):
        return self.title


class ImportBatch(models.Model):
    """One upload of a hotline work-order file, with the result of every row (R-C1 import)."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("导入人"))
    uploaded_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    file_name = models.CharField(_("文件名"), max_length=200)
    file_sha256 = models.CharField(_("文件摘要"), max_length=64, db_index=True)
    imported = models.PositiveIntegerField(_("导入"), default=0)
    duplicates = models.PositiveIntegerField(_("已存在"), default=0)
    rejected = models.PositiveIntegerField(_("拒绝"), default=0)
    rows = models.JSONField(_("逐行结果"), default=list)

    class Meta:
        verbose_name = _("工单导入")
        verbose_name_plural = _("工单导入")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.file_name} {self.uploaded_at:%Y-%m-%d %H:%M}"


def phone_key(phone: str) -> str:
    """A stable digest of a phone number: the warning key never repeats the number itself (R-P1)."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return hashlib.sha256(digits.encode()).hexdigest()[:20]
