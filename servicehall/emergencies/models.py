"""Emergencies (R-E1, R-E2, R-E4): incident types, versioned response plans, the contact network per unit,
incidents with their escalation ladder (copied at open), timed steps, notifications and typed timeline."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicehall.core.models import EventRow
from servicehall.org.tenancy import HallOwned

LEVELS = (1, 2, 3)


class Level(models.IntegerChoices):
    """分级负责,逐级上报: the hall (first responsible person), the region's emergency group, leadership."""

    HALL = 1, _("营业厅负责人")
    REGION = 2, _("区域应急小组")
    LEADERSHIP = 3, _("公司领导")


class IncidentType(models.Model):
    """R-E1: the kinds of incident; data (seeded by migration, edited in the admin)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("应急事件类型")
        verbose_name_plural = _("应急事件类型")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class ResponsePlan(models.Model):
    """R-E4: one version of the response plan and decision guide of a type. Versions are never edited: an
    administrator's change is a new version, and an incident keeps the version it was raised with."""

    incident_type = models.ForeignKey(IncidentType, on_delete=models.PROTECT, related_name="plans", verbose_name=_("事件类型"))
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=100)
    first_actions = models.JSONField(_("首要处置清单"), default=list, help_text=_("每行一项，按顺序执行。"))
    guide = models.TextField(_("处置分析导向"), blank=True)
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("发布人"))

    class Meta:
        verbose_name = _("应急预案")
        verbose_name_plural = _("应急预案")
        ordering = ["incident_type__order", "-version"]
        constraints = [models.UniqueConstraint(fields=["incident_type", "version"], name="response_plan_version_unique")]

    def __str__(self):
        return f"{self.title} v{self.version}"


class Contact(models.Model):
    """The contact network: who answers for a unit at a level — a hall (level 1), a region (level 2: its
    emergency group) or the company (level 3: leadership). The 服务专责 is each group's first contact."""

    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    hall = models.ForeignKey("org.Hall", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("营业厅"))
    region = models.ForeignKey("org.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("区域"))
    company = models.ForeignKey("org.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("公司"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("人员"))
    duty = models.CharField(_("职责"), max_length=40, blank=True)
    first_contact = models.BooleanField(_("第一联系人（服务专责）"), default=False)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("应急联络人")
        verbose_name_plural = _("应急联络网络")
        ordering = ["level", "-first_contact", "order", "id"]
        constraints = [
            # each level belongs to exactly its own kind of unit
            models.CheckConstraint(condition=(
                Q(level=1, hall__isnull=False, region__isnull=True, company__isnull=True)
                | Q(level=2, hall__isnull=True, region__isnull=False, company__isnull=True)
                | Q(level=3, hall__isnull=True, region__isnull=True, company__isnull=False)
            ), name="contact_level_matches_unit"),
            *(models.UniqueConstraint(fields=[unit, "person"], condition=Q(**{f"{unit}__isnull": False}), name=f"contact_unique_{unit}_person")
              for unit in ("hall", "region", "company")),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.person}"


class Incident(HallOwned):
    class Status(models.TextChoices):
        REPORTING = "reporting", _("上报中")  # a level has been (or is about to be) notified and has not acknowledged
        ACKNOWLEDGED = "acknowledged", _("处置中")  # a level acknowledged: the climb stopped
        CLOSED = "closed", _("已关闭")

    class Source(models.TextChoices):
        STAFF = "staff", _("员工上报")
        QUEUE_SURGE = "queue_surge", _("排队激增预警")
        DEVICE_FAULT = "device_fault", _("设备故障")

    incident_type = models.ForeignKey(IncidentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("事件类型"))
    plan = models.ForeignKey(ResponsePlan, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("预案版本"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.REPORTING)
    level = models.PositiveSmallIntegerField(_("当前层级"), choices=Level.choices, default=Level.HALL)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.STAFF)
    # what raised it automatically (a surge alert, a device): one open incident per source, not one per repeat
    source_key = models.CharField(_("来源标识"), max_length=60, blank=True)
    detail = models.CharField(_("情况说明"), max_length=300, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("上报人"))
    raised_at = models.DateTimeField(_("上报时间"), db_index=True)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                        verbose_name=_("确认人"))
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("关闭人"))
    closure_summary = models.TextField(_("处置结果"), blank=True)

    class Meta:
        verbose_name = _("应急事件")
        verbose_name_plural = _("应急事件")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "source_key"], condition=~Q(source_key="") & ~Q(status="closed"),
                                    name="incident_one_open_per_source"),
        ]
        indexes = [models.Index(fields=["hall", "status"], name="incident_hall_status_idx")]

    def __str__(self):
        return f"{self.incident_type} #{self.pk}"


class LadderEntry(HallOwned):
    """One person of the incident's ladder, copied from the contact network when it opened (name and phone
    too): later edits of the network do not change a running incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="ladder", verbose_name=_("应急事件"))
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("人员"))
    name = models.CharField(_("姓名"), max_length=60)
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    duty = models.CharField(_("职责"), max_length=40, blank=True)
    first_contact = models.BooleanField(_("第一联系人"), default=False)
    position = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("上报链人员")
        verbose_name_plural = _("上报链人员")
        ordering = ["level", "position"]
        constraints = [models.UniqueConstraint(fields=["incident", "level", "person"], name="ladder_person_once_per_level")]


class EscalationStep(HallOwned):
    """One level's timer. `notify_at` is when the level is to be notified (the raise for level 1, then every
    5 minutes while nobody acknowledges; None once acknowledgement cancelled it); the sweep claims it by
    setting `notified_at`. `due_at` is when the level must have acknowledged (the next level's notify time)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps", verbose_name=_("应急事件"))
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    notify_at = models.DateTimeField(_("应通知时间"), null=True, blank=True, db_index=True)
    due_at = models.DateTimeField(_("应确认时间"), null=True, blank=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    late_seconds = models.PositiveIntegerField(_("迟发秒数"), default=0)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                        verbose_name=_("确认人"))
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("上报环节")
        verbose_name_plural = _("上报环节")
        ordering = ["incident", "level"]
        constraints = [models.UniqueConstraint(fields=["incident", "level"], name="escalation_step_once_per_level")]
        indexes = [models.Index(fields=["notify_at"], condition=Q(notified_at__isnull=True), name="escalation_step_due_idx")]


class EscalationNotification(HallOwned):
    """One notification of one person at one level: the unique key (incident, level, recipient) is what makes a
    restart or a second worker unable to notify anyone twice."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("应急事件"))
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("接收人"))
    notice = models.ForeignKey("notices.Notice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("短信通知"))
    sent_at = models.DateTimeField(_("发送时间"))

    class Meta:
        verbose_name = _("上报通知")
        verbose_name_plural = _("上报通知")
        ordering = ["incident", "level", "id"]
        constraints = [models.UniqueConstraint(fields=["incident", "level", "recipient"], name="escalation_notification_unique")]


class IncidentEvent(HallOwned, EventRow):
    """The typed timeline of an incident, and with the closure summary its closure record."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("上报事件")
        NOTIFIED = "notified", _("通知层级")
        ACKNOWLEDGED = "acknowledged", _("确认接报")
        ESCALATED = "escalated", _("逐级上报")
        REPEATED = "repeated", _("再次触发")
        ACTION_DONE = "action_done", _("完成处置步骤")
        CLOSED = "closed", _("关闭事件")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events", verbose_name=_("应急事件"))
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)

    class Meta(EventRow.Meta):
        verbose_name = _("应急事件记录")
        verbose_name_plural = _("应急事件记录")
        indexes = [models.Index(fields=["incident", "at"], name="incident_event_idx")]
