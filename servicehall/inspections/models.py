"""Checklists (versioned templates), inspections and their answers, patrols, rectification tasks and
photos (meetings, handovers and the daily error record are the onsite app's)."""
import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicehall.core.deadlines import DeadlineFields
from servicehall.core.models import EventRow
from servicehall.org.tenancy import HallOwned

from .scoring import spec_is_scored

USER = settings.AUTH_USER_MODEL


# --- checklist templates -------------------------------------------------------------------------

class TemplateKind(models.TextChoices):
    ENVIRONMENT = "environment", _("营业环境")
    COUNTER = "counter", _("柜台服务规范")
    DRESS = "dress", _("着装与仪容仪表")
    GUIDANCE = "guidance", _("引导分流")
    PATROL = "patrol", _("巡检")
    MYSTERY = "mystery", _("暗访")
    SECURITY = "security", _("安全检查")
    EXPERT = "expert", _("专家能力评分表")
    OTHER = "other", _("其他")


class ServiceStage(models.TextChoices):
    """The five service stages a mystery visit walks through (R-Q10)."""

    ENVIRONMENT = "environment", _("营业环境")
    GUIDANCE = "guidance", _("客户引导")
    WAITING = "waiting", _("排队等候")
    HANDLING = "handling", _("业务办理")
    DEPARTURE = "departure", _("客户离厅")


class ChecklistTemplate(models.Model):
    """A named checklist; its content lives in versions, so a finished inspection keeps what it was scored on."""

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=TemplateKind.choices, default=TemplateKind.OTHER)
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("创建人"))

    class Meta:
        verbose_name = _("检查表模板")
        verbose_name_plural = _("检查表模板")
        ordering = ["kind", "code"]

    def __str__(self):
        return self.name


class ChecklistVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        RETIRED = "retired", _("已停用")

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="versions", verbose_name=_("模板"))
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    pass_mark = models.DecimalField(_("合格分"), max_digits=5, decimal_places=2, default=80)
    rectify_hours = models.PositiveIntegerField(_("整改期限（营业小时）"), default=24)
    critical_rectify_hours = models.PositiveIntegerField(_("否决项整改期限（营业小时）"), default=8)
    note = models.CharField(_("版本说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("创建人"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("发布人"))

    class Meta:
        verbose_name = _("检查表版本")
        verbose_name_plural = _("检查表版本")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="checklist_version_number_unique"),
            models.UniqueConstraint(fields=["template"], condition=Q(status="published"), name="checklist_one_published_version"),
            models.UniqueConstraint(fields=["template"], condition=Q(status="draft"), name="checklist_one_draft_version"),
            models.CheckConstraint(condition=Q(pass_mark__gte=0, pass_mark__lte=100), name="checklist_pass_mark_0_100"),
        ]

    def __str__(self):
        return f"{self.template.name} v{self.number}"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class ChecklistSection(models.Model):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.CASCADE, related_name="sections", verbose_name=_("版本"))
    title = models.CharField(_("标题"), max_length=100)
    stage = models.CharField(_("服务环节"), max_length=20, choices=ServiceStage.choices, blank=True)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("检查表分节")
        verbose_name_plural = _("检查表分节")
        ordering = ["version", "order", "id"]

    def __str__(self):
        return self.title


class ItemKind(models.TextChoices):
    PASS_FAIL = "pass_fail", _("合格/不合格")
    SCORE = "score", _("评分")
    NUMBER = "number", _("数值")
    TEXT = "text", _("文字")
    PHOTO = "photo", _("照片")


class ChecklistItem(models.Model):
    """One check. `key` is stable across versions so figures such as "most-failed items" span versions."""

    version = models.ForeignKey(ChecklistVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("版本"))
    section = models.ForeignKey(ChecklistSection, on_delete=models.CASCADE, related_name="items", verbose_name=_("分节"))
    key = models.SlugField(_("项目代码"), max_length=60)
    text = models.CharField(_("检查内容"), max_length=300)
    guidance = models.CharField(_("检查要点"), max_length=500, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=ItemKind.choices, default=ItemKind.PASS_FAIL)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2, default=1)
    critical = models.BooleanField(_("否决项"), default=False, help_text=_("该项不合格则整次检查不合格"))
    max_score = models.PositiveSmallIntegerField(_("满分"), null=True, blank=True)
    pass_score = models.PositiveSmallIntegerField(_("及格分"), null=True, blank=True)
    number_min = models.DecimalField(_("下限"), max_digits=12, decimal_places=2, null=True, blank=True)
    number_max = models.DecimalField(_("上限"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    source = models.CharField(_("依据"), max_length=100, blank=True)
    # The library's standard this item checks (R-I5): the inspection form links to its current text.
    standard = models.ForeignKey("standards.Standard", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("服务标准"))
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["section__order", "section_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="checklist_item_key_unique_in_version"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="checklist_item_weight_positive"),
            models.CheckConstraint(
                condition=~Q(kind="score") | Q(max_score__gt=0), name="checklist_item_score_has_max",
            ),
            models.CheckConstraint(
                condition=Q(pass_score__isnull=True) | Q(max_score__isnull=True) | Q(pass_score__lte=models.F("max_score")),
                name="checklist_item_pass_score_le_max",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def is_scored(self) -> bool:
        return spec_is_scored(self.kind, self.number_min, self.number_max)


# --- inspections ---------------------------------------------------------------------------------

class InspectionKind(models.TextChoices):
    PATROL = "patrol", _("巡检")
    OPEN = "open", _("明查")
    MYSTERY = "mystery", _("暗访")
    SECURITY = "security", _("安全检查")
    EXPERT = "expert", _("专家评价")


# The service-quality checks: their published results are the hall's inspection pass rate, the etiquette
# component of the staff score and the monthly report. A periodic security check (alarms, drills, lighting,
# extinguishers) and an expert's capability scoring sheet (three-party evaluation, R-A5) run on the same
# checklist engine but are figures of their own, never mixed into that rate.
SERVICE_CHECK_KINDS = (InspectionKind.PATROL, InspectionKind.OPEN, InspectionKind.MYSTERY)


class Inspection(HallOwned):
    """One filled checklist of one hall: a patrol, an open inspection or a mystery visit."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("已计划")
        IN_PROGRESS = "in_progress", _("进行中")
        SUBMITTED = "submitted", _("已提交")
        PUBLISHED = "published", _("已发布")
        CANCELLED = "cancelled", _("已取消")

    kind = models.CharField(_("类型"), max_length=10, choices=InspectionKind.choices)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("检查表版本"))
    planned_for = models.DateField(_("计划日期"), null=True, blank=True)
    assigned_to = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("检查人"))
    performed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("实施人"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布人"))
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("合格"), null=True, blank=True)
    critical_failed = models.BooleanField(_("否决项不合格"), default=False)
    summary = models.TextField(_("总体评价"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("创建人"))

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        ordering = ["-planned_for", "-id"]
        indexes = [
            models.Index(fields=["hall", "kind", "status"], name="inspection_hall_kind_idx"),
            models.Index(fields=["hall", "submitted_at"], name="inspection_hall_submitted_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.version.template.name} #{self.pk}"

    @property
    def is_open_for_answers(self) -> bool:
        return self.status in {self.Status.PLANNED, self.Status.IN_PROGRESS}

    @property
    def is_hidden_mystery(self) -> bool:
        return self.kind == InspectionKind.MYSTERY and self.published_at is None


class InspectionEvent(HallOwned, EventRow):
    """The typed timeline of an inspection: planned, started, submitted, published, cancelled."""

    class Kind(models.TextChoices):
        PLANNED = "planned", _("计划检查")
        STARTED = "started", _("开始检查")
        SUBMITTED = "submitted", _("提交")
        PUBLISHED = "published", _("发布结果")
        CANCELLED = "cancelled", _("取消")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="events", verbose_name=_("检查"))
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)

    class Meta(EventRow.Meta):
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        indexes = [models.Index(fields=["inspection", "at"], name="inspection_event_idx")]


class Answer(HallOwned):
    class Result(models.TextChoices):
        PASS = "pass", _("合格")
        FAIL = "fail", _("不合格")
        NA = "na", _("不适用")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers", verbose_name=_("检查"))
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers", verbose_name=_("检查项"))
    result = models.CharField(_("结论"), max_length=4, choices=Result.choices, blank=True)
    score_value = models.DecimalField(_("评分"), max_digits=6, decimal_places=2, null=True, blank=True)
    number_value = models.DecimalField(_("数值"), max_digits=12, decimal_places=2, null=True, blank=True)
    text_value = models.TextField(_("文字"), blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    failed = models.BooleanField(_("失分"), default=False)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("填写人"))
    answered_at = models.DateTimeField(_("填写时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="answer_one_per_item")]
        indexes = [models.Index(fields=["hall", "failed"], name="answer_hall_failed_idx")]

    def __str__(self):
        return f"{self.item} → {self.result or '—'}"


# --- patrols -------------------------------------------------------------------------------------

class PatrolKind(models.TextChoices):
    OPENING = "opening", _("营业前巡检")
    PEAK = "peak", _("高峰期巡检")
    CLOSING = "closing", _("营业结束前巡检")


class PatrolSettings(models.Model):
    """Per-hall patrol and meeting clock *(design defaults; the seeds only say before opening / first peak / before closing)*."""

    hall = models.OneToOneField("org.Hall", on_delete=models.CASCADE, related_name="patrol_settings", verbose_name=_("营业厅"))
    before_opening_minutes = models.PositiveSmallIntegerField(_("营业前巡检提前（分钟）"), default=30)
    peak_start = models.TimeField(_("高峰期巡检开始"), default=dt.time(9, 0))
    peak_end = models.TimeField(_("高峰期巡检结束"), default=dt.time(10, 30))
    before_closing_minutes = models.PositiveSmallIntegerField(_("营业结束前巡检提前（分钟）"), default=30)
    meeting_minutes_before_opening = models.PositiveSmallIntegerField(_("早会提前（分钟）"), default=20)
    opening_template = models.ForeignKey(ChecklistTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("营业前巡检表"))
    peak_template = models.ForeignKey(ChecklistTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("高峰期巡检表"))
    closing_template = models.ForeignKey(ChecklistTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("营业结束前巡检表"))

    class Meta:
        verbose_name = _("巡检设置")
        verbose_name_plural = _("巡检设置")
        constraints = [
            models.CheckConstraint(condition=Q(peak_start__lt=models.F("peak_end")), name="patrol_peak_start_before_end"),
            models.CheckConstraint(condition=Q(before_opening_minutes__gt=0, before_closing_minutes__gt=0), name="patrol_windows_positive"),
        ]

    def __str__(self):
        return _("%(hall)s 巡检设置") % {"hall": self.hall}


class PatrolSlot(HallOwned):
    """One of the three daily patrols of a hall; `missed_at` is set once by the sweep when its window passes undone."""

    business_day = models.DateField(_("营业日"))
    kind = models.CharField(_("巡检"), max_length=10, choices=PatrolKind.choices)
    window_start = models.DateTimeField(_("时段开始"))
    window_end = models.DateTimeField(_("时段结束"))
    inspection = models.OneToOneField(Inspection, null=True, blank=True, on_delete=models.SET_NULL, related_name="patrol_slot", verbose_name=_("巡检记录"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("巡检人"))
    missed_at = models.DateTimeField(_("漏检标记时间"), null=True, blank=True)
    missed_note = models.CharField(_("漏检说明"), max_length=300, blank=True)
    missed_noted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("说明人"))

    class Meta:
        verbose_name = _("巡检时段")
        verbose_name_plural = _("巡检时段")
        ordering = ["-business_day", "window_start"]
        constraints = [models.UniqueConstraint(fields=["hall", "business_day", "kind"], name="patrol_slot_unique")]
        indexes = [
            models.Index(fields=["window_end"], condition=Q(done_at__isnull=True, missed_at__isnull=True), name="patrol_slot_pending_idx"),
        ]

    def __str__(self):
        return f"{self.business_day} {self.get_kind_display()}"

    @property
    def state(self) -> str:
        if self.pk is None:
            return "planned"  # computed from the hall's clock; the sweep has not laid it out yet
        if self.done_at and self.missed_at:
            return "late"
        if self.done_at:
            return "done"
        if self.missed_at:
            return "missed"
        return "pending"


# --- periodic security checks (R-E3) ------------------------------------------------------------

class Cadence(models.TextChoices):
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")


class SecurityCheckSchedule(HallOwned):
    """How often a hall runs one security checklist. A daily check is due at `due_time` (empty: before
    closing); a longer one at the closing of its period's last business day on the hall's calendar."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="+", verbose_name=_("检查表"),
                                 limit_choices_to={"kind": TemplateKind.SECURITY})
    cadence = models.CharField(_("周期"), max_length=10, choices=Cadence.choices)
    due_time = models.TimeField(_("每日截止时间"), null=True, blank=True, help_text=_("留空表示闭厅前"))
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("修改人"))

    class Meta:
        verbose_name = _("安全检查周期")
        verbose_name_plural = _("安全检查周期")
        ordering = ["hall", "template__code"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "template"], name="security_schedule_one_per_template"),
            models.CheckConstraint(condition=Q(cadence="daily") | Q(due_time__isnull=True), name="security_schedule_due_time_daily_only"),
        ]

    def __str__(self):
        return f"{self.template} · {self.get_cadence_display()}"


class SecurityCheckSlot(HallOwned):
    """One period's check of a schedule; `missed_at` is set once by the sweep when `due_at` passes undone."""

    schedule = models.ForeignKey(SecurityCheckSchedule, on_delete=models.CASCADE, related_name="slots", verbose_name=_("检查周期"))
    period_start = models.DateField(_("周期开始"))
    period_end = models.DateField(_("周期结束"))
    due_at = models.DateTimeField(_("截止时间"))
    inspection = models.OneToOneField(Inspection, null=True, blank=True, on_delete=models.SET_NULL, related_name="security_slot", verbose_name=_("检查记录"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("检查人"))
    missed_at = models.DateTimeField(_("漏检标记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("安全检查任务")
        verbose_name_plural = _("安全检查任务")
        ordering = ["-period_start", "due_at"]
        constraints = [models.UniqueConstraint(fields=["schedule", "period_start"], name="security_slot_unique")]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(done_at__isnull=True, missed_at__isnull=True), name="security_slot_pending_idx"),
            models.Index(fields=["hall", "period_start"], name="security_slot_hall_idx"),
        ]

    def __str__(self):
        return f"{self.schedule.template} {self.period_start}"

    @property
    def state(self) -> str:
        # From the times, not from the sweep's flag: a check submitted after its due time is late even
        # when no sweep ran in between.
        if self.done_at:
            return "late" if self.done_at > self.due_at else "done"
        if self.missed_at:
            return "missed"
        return "pending"


# --- rectification -------------------------------------------------------------------------------

class RectificationTask(HallOwned, DeadlineFields):
    """A failed item to put right (R-I3): owner, deadline on the shared deadline columns, evidence, verification."""

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        SUBMITTED = "submitted", _("待验证")
        CLOSED = "closed", _("已关闭")

    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("来源检查"))
    answer = models.OneToOneField(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="task", verbose_name=_("失分项"))
    item_key = models.SlugField(_("检查项代码"), max_length=60, blank=True)
    title = models.CharField(_("整改事项"), max_length=300)
    detail = models.TextField(_("问题描述"), blank=True)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任人"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    is_violation = models.BooleanField(_("违规（四不放过）"), default=False)
    evidence = models.TextField(_("整改情况"), blank=True)
    cause = models.TextField(_("原因分析"), blank=True)
    person_dealt = models.TextField(_("责任人处理"), blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    education = models.TextField(_("员工教育"), blank=True)
    analysis_meeting_on = models.DateField(_("专题分析会日期"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    verified_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("验证人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改任务")
        verbose_name_plural = _("整改任务")
        ordering = ["status", "due_at", "-id"]
        indexes = [
            models.Index(fields=["hall", "status"], name="task_hall_status_idx"),
            models.Index(fields=["owner", "status"], name="task_owner_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status="closed") | Q(verified_by__isnull=False), name="task_closed_has_verifier"),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(verified_by=models.F("owner")), name="task_verifier_not_owner",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def four_dont_let_go_done(self) -> bool:
        return all(v.strip() for v in (self.cause, self.person_dealt, self.measures, self.education))


class TaskEvent(HallOwned, EventRow):
    """Append-only typed timeline of a rectification task."""

    class Kind(models.TextChoices):
        CREATED = "created", _("创建整改任务")
        SUBMITTED = "submitted", _("提交整改")
        VERIFIED = "verified", _("验证通过，已关闭")
        REJECTED = "rejected", _("退回重新整改")
        REASSIGNED = "reassigned", _("更换责任人")
        WARNED = "warned", _("期限预警")
        ESCALATED = "escalated", _("超期上报")

    task = models.ForeignKey(RectificationTask, on_delete=models.CASCADE, related_name="events", verbose_name=_("整改任务"))
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)

    class Meta(EventRow.Meta):
        verbose_name = _("整改任务记录")
        verbose_name_plural = _("整改任务记录")


# --- photos --------------------------------------------------------------------------------------

def photo_path(instance, filename):
    # Random names under the hall: nothing guessable, the original name is kept only in the row.
    ext = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(instance.content_type, "bin")
    return f"inspections/{instance.hall_id}/{uuid.uuid4().hex}.{ext}"


class Photo(HallOwned):
    """A photo taken on an inspection item or as rectification evidence; served only through a scoped view."""

    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.CASCADE, related_name="photos", verbose_name=_("检查"))
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="photos", verbose_name=_("检查结果"))
    task = models.ForeignKey(RectificationTask, null=True, blank=True, on_delete=models.CASCADE, related_name="photos", verbose_name=_("整改任务"))
    file = models.FileField(_("文件"), upload_to=photo_path, max_length=200)
    content_type = models.CharField(_("类型"), max_length=20)
    size = models.PositiveIntegerField(_("大小"))
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(inspection__isnull=False) | Q(task__isnull=False), name="photo_belongs_somewhere"),
        ]

    def __str__(self):
        return self.original_name or self.file.name
