"""Video (R-V1…R-V3): recorders and cameras per hall and counter with their playback address templates,
recorded clips with retention, analysis jobs and the per-hall schedule, findings for a reviewer,
and the staff's consent records."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicehall.org.tenancy import HallOwned

USER = settings.AUTH_USER_MODEL


class RecorderFamily(models.Model):
    """How one kind of recorder plays back a channel between two times: a URL template (data, not code).

    Placeholders: {host} {port} {channel} {start} {end}, where {start}/{end} take a strftime format
    after a colon, e.g. {start:%Y%m%dT%H%M%SZ}. Times are given in UTC or in the hall's local time."""

    class Clock(models.TextChoices):
        UTC = "utc", _("UTC")
        LOCAL = "local", _("营业厅当地时间")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    playback_template = models.CharField(_("回放地址模板"), max_length=500, blank=True)
    clock = models.CharField(_("时间基准"), max_length=8, choices=Clock.choices, default=Clock.LOCAL)
    default_port = models.PositiveIntegerField(_("默认端口"), null=True, blank=True)
    serves_files = models.BooleanField(
        _("本地文件存储"), default=False, help_text=_("录像片段保存在本系统中，由浏览器直接播放（演示与测试）。"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("录像机类型")
        verbose_name_plural = _("录像机类型")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Recorder(HallOwned):
    """An NVR / DVR of a hall (or the local file store)."""

    family = models.ForeignKey(RecorderFamily, on_delete=models.PROTECT, related_name="recorders", verbose_name=_("类型"))
    name = models.CharField(_("名称"), max_length=80)
    host = models.CharField(_("地址"), max_length=120, blank=True)
    port = models.PositiveIntegerField(_("端口"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("录像机")
        verbose_name_plural = _("录像机")
        ordering = ["hall", "name"]

    def __str__(self):
        return self.name


class Camera(HallOwned):
    class Kind(models.TextChoices):
        LOBBY = "lobby", _("大厅全景")
        GUIDE_DESK = "guide_desk", _("引导台（员工面）")
        COUNTER_STAFF = "counter_staff", _("窗口（员工面）")
        COUNTER_CUSTOMER = "counter_customer", _("窗口（客户面）")

    # Etiquette analysis runs only on cameras that face the staff (privacy): never on customers.
    STAFF_FACING = (Kind.GUIDE_DESK, Kind.COUNTER_STAFF)
    COUNTER_KINDS = (Kind.COUNTER_STAFF, Kind.COUNTER_CUSTOMER)

    recorder = models.ForeignKey(Recorder, on_delete=models.PROTECT, related_name="cameras", verbose_name=_("录像机"))
    channel = models.PositiveSmallIntegerField(_("通道号"))
    counter = models.ForeignKey("org.Counter", null=True, blank=True, on_delete=models.PROTECT, related_name="cameras", verbose_name=_("窗口"))
    kind = models.CharField(_("位置"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=80)
    geometry = models.JSONField(
        _("标定与区域"), default=dict, blank=True,
        help_text=_("地面标定（image_points 画面四点的比例坐标，floor_points 对应地面四点的米坐标）、员工区域 staff_zone、"
                    "员工站位 staff_spot、引导台范围 desk_zone、暂停牌区域 sign_zone。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("摄像机")
        verbose_name_plural = _("摄像机")
        ordering = ["hall", "kind", "counter__number", "name"]
        constraints = [
            models.UniqueConstraint(fields=["recorder", "channel"], name="camera_channel_unique_per_recorder"),
            models.CheckConstraint(
                condition=~Q(kind__in=["counter_staff", "counter_customer"]) | Q(counter__isnull=False), name="camera_counter_kind_has_counter",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def analysable(self) -> bool:
        return self.kind in self.STAFF_FACING


class RetentionPolicy(models.Model):
    """How long each kind of clip is kept *(design defaults; configurable)*; the worker deletes expired files."""

    kind = models.CharField(_("片段类型"), max_length=12, unique=True)
    days = models.PositiveSmallIntegerField(_("保留天数"))

    class Meta:
        verbose_name = _("保留期限")
        verbose_name_plural = _("保留期限")
        ordering = ["kind"]
        constraints = [models.CheckConstraint(condition=Q(days__gte=1, days__lte=3650), name="retention_days_range")]

    def __str__(self):
        return f"{self.kind}: {self.days}"


def clip_path(instance, filename):
    # Random names under the hall: nothing guessable; served only through a scope-checked, audited view.
    return f"video/{instance.hall_id}/{uuid.uuid4().hex}.webm"


def thumbnail_path(instance, filename):
    return f"video/{instance.hall_id}/findings/{uuid.uuid4().hex}.jpg"


class Clip(HallOwned):
    """A stretch of one camera's recording held in the local store (demo, exports, evidence)."""

    class Kind(models.TextChoices):
        RECORDING = "recording", _("日常录像")
        EXPORT = "export", _("录像导出")
        EVIDENCE = "evidence", _("证据片段")

    camera = models.ForeignKey(Camera, on_delete=models.PROTECT, related_name="clips", verbose_name=_("摄像机"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.RECORDING)
    start_at = models.DateTimeField(_("开始时间"))
    end_at = models.DateTimeField(_("结束时间"))
    file = models.FileField(_("文件"), upload_to=clip_path, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("大小"), default=0)
    expires_at = models.DateTimeField(_("到期时间"), db_index=True)
    deleted_at = models.DateTimeField(_("已删除于"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("录像片段")
        verbose_name_plural = _("录像片段")
        ordering = ["-start_at", "-id"]
        indexes = [models.Index(fields=["camera", "start_at"], name="clip_camera_start_idx")]
        constraints = [models.CheckConstraint(condition=Q(end_at__gt=models.F("start_at")), name="clip_end_after_start")]

    def __str__(self):
        return f"{self.camera_id} {self.start_at:%Y-%m-%d %H:%M:%S}"

    @property
    def duration_seconds(self) -> float:
        return (self.end_at - self.start_at).total_seconds()


class AnalysisSchedule(models.Model):
    """How much of a hall's staff-camera recording is analysed (R-V3): a level raised and lowered by rules."""

    class Level(models.IntegerChoices):
        NORMAL = 0, _("常规")
        RAISED = 1, _("加密")
        WATCH = 2, _("重点关注")

    hall = models.OneToOneField("org.Hall", on_delete=models.CASCADE, related_name="video_schedule", verbose_name=_("营业厅"))
    level = models.PositiveSmallIntegerField(_("抽查等级"), choices=Level.choices, default=Level.NORMAL)
    reasons = models.JSONField(_("依据"), default=list, blank=True)
    level_since = models.DateTimeField(_("等级起始"), null=True, blank=True)
    next_plan_at = models.DateTimeField(_("下次排程"), null=True, blank=True, db_index=True)
    planning_at = models.DateTimeField(_("排程中"), null=True, blank=True)

    class Meta:
        verbose_name = _("视频抽查计划")
        verbose_name_plural = _("视频抽查计划")

    def __str__(self):
        return f"{self.hall} {self.get_level_display()}"


class AnalysisJob(HallOwned):
    """One clip to analyse. Claimed with a conditional UPDATE (core.deadlines.claim): one worker per clip."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待分析")
        RUNNING = "running", _("分析中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    clip = models.OneToOneField(Clip, on_delete=models.CASCADE, related_name="job", verbose_name=_("录像片段"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    due_at = models.DateTimeField(_("可开始时间"), db_index=True)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    video_seconds = models.FloatField(_("视频时长（秒）"), null=True, blank=True)
    wall_seconds = models.FloatField(_("分析用时（秒）"), null=True, blank=True)
    sample_fps = models.FloatField(_("采样帧率"), null=True, blank=True)
    findings_count = models.PositiveIntegerField(_("发现数"), default=0)
    error = models.CharField(_("错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("分析任务")
        verbose_name_plural = _("分析任务")
        ordering = ["-due_at", "-id"]
        indexes = [models.Index(fields=["due_at"], condition=Q(status="queued", claimed_at__isnull=True), name="video_job_queued_idx")]

    def __str__(self):
        return f"{self.clip_id} {self.get_status_display()}"


class Rule(models.TextChoices):
    GREETING = "greeting", _("3 米微笑注视")
    BOW = "bow", _("2 米 15° 鞠躬")
    ABSENCE = "absence", _("离岗未亮牌")
    PHONE = "phone", _("使用手机")


class Finding(HallOwned):
    """What the analysis saw: evidence for a person to confirm or reject, never a penalty by itself."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待复核")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("已驳回")

    job = models.ForeignKey(AnalysisJob, on_delete=models.CASCADE, related_name="findings", verbose_name=_("分析任务"))
    clip = models.ForeignKey(Clip, on_delete=models.PROTECT, related_name="findings", verbose_name=_("录像片段"))
    camera = models.ForeignKey(Camera, on_delete=models.PROTECT, related_name="findings", verbose_name=_("摄像机"))
    counter = models.ForeignKey("org.Counter", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("窗口"))
    person = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="video_findings", verbose_name=_("涉及员工"))
    rule = models.CharField(_("检查项"), max_length=12, choices=Rule.choices)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"))
    frame_at = models.DateTimeField(_("画面时间"))
    detail = models.JSONField(_("测量依据"), default=dict, blank=True)
    thumbnail = models.FileField(_("画面"), upload_to=thumbnail_path, max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("复核人"))
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    review_note = models.CharField(_("复核意见"), max_length=500, blank=True)
    inspection = models.ForeignKey(
        "inspections.Inspection", null=True, blank=True, on_delete=models.PROTECT, related_name="video_findings", verbose_name=_("视频检查"),
    )

    class Meta:
        verbose_name = _("视频发现")
        verbose_name_plural = _("视频发现")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["hall", "status"], name="finding_hall_status_idx"),
            models.Index(fields=["person", "status", "started_at"], name="finding_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(reviewed_by__isnull=False, reviewed_at__isnull=False), name="finding_reviewed_has_reviewer",
            ),
            models.CheckConstraint(condition=~Q(status="confirmed") | Q(person__isnull=False), name="finding_confirmed_names_person"),
        ]

    def __str__(self):
        return f"{self.get_rule_display()} {self.started_at:%Y-%m-%d %H:%M:%S}"


class Consent(HallOwned):
    """A member of staff was told that staff-facing cameras are analysed for etiquette (privacy)."""

    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="video_consents", verbose_name=_("员工"))
    informed_at = models.DateTimeField(_("告知时间"))
    informed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("告知人"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("视频分析告知记录")
        verbose_name_plural = _("视频分析告知记录")
        ordering = ["-informed_at"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "person"], condition=Q(withdrawn_at__isnull=True), name="consent_one_active_per_person"),
        ]

    def __str__(self):
        return f"{self.person} {self.informed_at:%Y-%m-%d}"
