"""Admin of on-site management: meetings with their attendance, handovers and the daily error record;
every change made here is audited."""
from django.contrib import admin

from servicehall.core.admin import AuditedAdmin

from .models import ErrorRecord, Handover, Meeting, MeetingAttendance


class AttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    fields = ["user", "status", "appearance_checked", "appearance_failed", "appearance_note"]
    readonly_fields = ["user"]
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["hall", "business_day", "kind", "host", "finished_at"]
    list_filter = ["kind", "hall"]
    inlines = [AttendanceInline]


@admin.register(Handover)
class HandoverAdmin(AuditedAdmin):
    list_display = ["hall", "business_day", "handed_by", "received_by", "equipment_ok", "accepted_at"]
    list_filter = ["hall", "equipment_ok"]


@admin.register(ErrorRecord)
class ErrorRecordAdmin(AuditedAdmin):
    list_display = ["hall", "business_day", "person", "category", "description"]
    list_filter = ["category", "hall"]
