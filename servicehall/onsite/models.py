"""On-site management (R-S): morning and after-business meetings (R-S1), shift handovers and the daily
error record (R-S4). The tables keep the names they had as part of the inspections app (`db_table`), so
moving the models here moved no rows."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicehall.org.tenancy import HallOwned

USER = settings.AUTH_USER_MODEL


class Meeting(HallOwned):
    """Morning meeting (班前会, R-S1), after-business meeting (班后会) or the Friday team meeting (每周五周会, R-S6)."""

    class Kind(models.TextChoices):
        MORNING = "morning", _("早会")
        AFTER = "after", _("班后会")
        WEEKLY = "weekly", _("周会")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    business_day = models.DateField(_("营业日"))
    scheduled_at = models.DateTimeField(_("计划时间"))
    host = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("主持人"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    review_day = models.DateField(_("回顾营业日"), null=True, blank=True)
    review = models.JSONField(_("昨日回顾"), default=dict, blank=True)
    tasks = models.TextField(_("今日工作任务"), blank=True)
    notices = models.TextField(_("通知与注意事项"), blank=True)
    study = models.TextField(_("文件学习"), blank=True)
    rehearsal_done = models.BooleanField(_("已进行礼仪与标准会话演练"), default=False)
    summary = models.TextField(_("交流与总结"), blank=True)

    class Meta:
        db_table = "inspections_meeting"
        verbose_name = _("班前/班后会与周会")
        verbose_name_plural = _("班前/班后会与周会")
        ordering = ["-business_day", "kind"]
        constraints = [models.UniqueConstraint(fields=["hall", "business_day", "kind"], name="meeting_unique_per_day")]

    def __str__(self):
        return f"{self.business_day} {self.get_kind_display()}"


class MeetingAttendance(HallOwned):
    class Status(models.TextChoices):
        PRESENT = "present", _("出勤")
        LATE = "late", _("迟到")
        LEAVE = "leave", _("请假")
        ABSENT = "absent", _("缺勤")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("会议"))
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("员工"))
    status = models.CharField(_("出勤"), max_length=10, choices=Status.choices, default=Status.PRESENT)
    appearance_checked = models.BooleanField(_("已检查仪容仪表"), default=False)
    appearance_failed = models.JSONField(_("仪容仪表不合格项"), default=list, blank=True)
    appearance_note = models.CharField(_("仪容仪表备注"), max_length=200, blank=True)
    study_confirmed_at = models.DateTimeField(_("已学习确认时间"), null=True, blank=True)

    class Meta:
        db_table = "inspections_meetingattendance"
        verbose_name = _("会议出勤")
        verbose_name_plural = _("会议出勤")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="meeting_attendance_unique")]

    def __str__(self):
        return f"{self.user} {self.get_status_display()}"


class Handover(HallOwned):
    """Shift handover (交接班, R-S4): what is handed over, equipment state, accepted by the next shift."""

    business_day = models.DateField(_("营业日"))
    shift = models.CharField(_("班次"), max_length=30, blank=True)
    handed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("交班人"))
    received_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("接班人"))
    matters = models.TextField(_("交接事项"), blank=True)
    pending = models.TextField(_("未办结事项"), blank=True)
    equipment_ok = models.BooleanField(_("设备正常"), default=True)
    equipment_notes = models.CharField(_("设备情况"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("交班时间"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("接班确认时间"), null=True, blank=True)

    class Meta:
        db_table = "inspections_handover"
        verbose_name = _("交接班记录")
        verbose_name_plural = _("交接班记录")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.business_day} {self.handed_by} → {self.received_by}"


class ErrorRecord(HallOwned):
    """One entry of the daily error record (每日差错公布, R-S4)."""

    class Category(models.TextChoices):
        BUSINESS = "business", _("业务差错")
        FEE = "fee", _("收费差错")
        GUIDANCE = "guidance", _("引导差错")
        SERVICE = "service", _("服务规范")
        DISCIPLINE = "discipline", _("劳动纪律")
        OTHER = "other", _("其他")

    business_day = models.DateField(_("营业日"))
    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任人"))
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    description = models.CharField(_("差错描述"), max_length=500)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        db_table = "inspections_errorrecord"
        verbose_name = _("差错记录")
        verbose_name_plural = _("差错记录")
        ordering = ["-business_day", "-id"]
        indexes = [models.Index(fields=["hall", "business_day"], name="error_hall_day_idx")]

    def __str__(self):
        return f"{self.business_day} {self.person} {self.get_category_display()}"
