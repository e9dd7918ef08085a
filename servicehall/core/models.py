"""Audit log, the live-event outbox and the typed event row shared by every domain."""
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One write to a domain object: who, when, what, before → after. Append-only."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("操作人标识"), max_length=120, blank=True)
    hall_id = models.BigIntegerField(_("营业厅"), null=True, blank=True, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80)
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    action = models.CharField(_("动作"), max_length=60)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class LiveEvent(models.Model):
    """Outbox of live events: written in the business transaction, streamed to SSE clients by id.

    The id doubles as the SSE `Last-Event-ID`, so a reconnecting page replays exactly what it missed.
    """

    hall_id = models.BigIntegerField(_("营业厅"), db_index=True)
    topic = models.CharField(_("主题"), max_length=40)
    kind = models.CharField(_("事件"), max_length=60)
    payload = models.JSONField(_("内容"), default=dict)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("实时事件")
        verbose_name_plural = _("实时事件")
        indexes = [models.Index(fields=["hall_id", "id"], name="live_hall_id_idx")]


class EventRow(models.Model):
    """One typed, append-only row of an aggregate's timeline (core.transitions writes them): what happened
    (`kind`, typed by each subclass's choices), the state before and after, who, when, and details.

    Subclasses add the subject (a ForeignKey named by their machine's `subject_field`), usually `hall`
    (HallOwned), and override `kind` with their own choices. Timelines shown to staff read these rows.
    """

    kind = models.CharField(_("事件"), max_length=30)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"))
    payload = models.JSONField(_("内容"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # the database default keeps raw history inserts (the demo's, the benchmarks') that name no note valid
    note = models.TextField(_("说明"), blank=True, default="", db_default="")

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind_label}"

    @property
    def kind_label(self) -> str:
        return str(dict(self._meta.get_field("kind").choices or ()).get(self.kind, self.kind))


class ExportJob(models.Model):
    """A document a person asked for that is built by the worker, not in their request (core.jobs): a region's
    monthly report takes seconds of PDF layout, and the page must stay responsive while it is made.

    The file is kept in the row (a few hundred KB, committed with its status, removed with the row after
    `core.jobs.KEEP`), so a ready job always has its file and no orphan file outlives its job.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        READY = "ready", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=60)
    params = models.JSONField(_("参数"), default=dict, encoder=DjangoJSONEncoder)
    title = models.CharField(_("名称"), max_length=200)
    language = models.CharField(_("语言"), max_length=10, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    content = models.BinaryField(_("文件内容"), null=True, blank=True)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        indexes = [models.Index(fields=["status", "id"], name="export_job_status_idx")]

    def __str__(self):
        return self.title

    @property
    def done(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
