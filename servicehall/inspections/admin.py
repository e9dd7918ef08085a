"""Admin of the inspections domain. Checklist content is edited in the builder page (versioned); the
admin shows it read-mostly, and every change made here is audited."""
from django.contrib import admin

from servicehall.core.admin import AuditedAdmin

from .models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    Inspection,
    PatrolSettings,
    PatrolSlot,
    RectificationTask,
    SecurityCheckSchedule,
    SecurityCheckSlot,
    TaskEvent,
)


class VersionInline(admin.TabularInline):
    model = ChecklistVersion
    fields = ["number", "status", "pass_mark", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    inlines = [VersionInline]


class SectionInline(admin.TabularInline):
    model = ChecklistSection
    fields = ["title", "stage", "order"]
    extra = 0
    show_change_link = True


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(AuditedAdmin):
    list_display = ["template", "number", "status", "pass_mark", "published_at"]
    list_filter = ["status", "template__kind"]
    readonly_fields = ["template", "number", "status", "published_at", "published_by", "created_by"]
    inlines = [SectionInline]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(AuditedAdmin):
    list_display = ["text", "key", "version", "kind", "weight", "critical"]
    list_filter = ["kind", "critical", "version__template"]
    search_fields = ["text", "key"]
    readonly_fields = ["version", "section", "key"]


@admin.register(Inspection)
class InspectionAdmin(AuditedAdmin):
    list_display = ["id", "hall", "kind", "status", "version", "planned_for", "score", "passed"]
    list_filter = ["kind", "status", "hall"]
    readonly_fields = ["hall", "kind", "version", "score", "passed", "critical_failed", "submitted_at", "published_at", "published_by", "performed_by"]


@admin.register(PatrolSettings)
class PatrolSettingsAdmin(AuditedAdmin):
    list_display = ["hall", "before_opening_minutes", "peak_start", "peak_end", "before_closing_minutes", "meeting_minutes_before_opening"]


@admin.register(PatrolSlot)
class PatrolSlotAdmin(AuditedAdmin):
    list_display = ["hall", "business_day", "kind", "window_start", "window_end", "done_at", "missed_at"]
    list_filter = ["kind", "hall"]
    date_hierarchy = "business_day"
    readonly_fields = ["hall", "business_day", "kind", "window_start", "window_end", "inspection", "done_at", "done_by", "missed_at"]


@admin.register(SecurityCheckSchedule)
class SecurityCheckScheduleAdmin(AuditedAdmin):
    list_display = ["hall", "template", "cadence", "due_time", "is_active", "updated_at"]
    list_filter = ["cadence", "is_active", "hall"]
    readonly_fields = ["updated_at", "updated_by"]


@admin.register(SecurityCheckSlot)
class SecurityCheckSlotAdmin(AuditedAdmin):
    list_display = ["hall", "schedule", "period_start", "period_end", "due_at", "done_at", "missed_at"]
    list_filter = ["hall"]
    date_hierarchy = "period_start"
    readonly_fields = ["hall", "schedule", "period_start", "period_end", "due_at", "inspection", "done_at", "done_by", "missed_at"]


class TaskEventInline(admin.TabularInline):
    model = TaskEvent
    fields = ["at", "kind", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(RectificationTask)
class RectificationTaskAdmin(AuditedAdmin):
    list_display = ["title", "hall", "owner", "status", "is_violation", "due_at", "overdue_at"]
    list_filter = ["status", "is_violation", "hall"]
    search_fields = ["title"]
    readonly_fields = ["hall", "inspection", "answer", "status", "verified_by", "due_at", "warn_at", "warned_at", "overdue_at",
                       "clock_paused_at", "clock_remaining_seconds", "clock_total_seconds", "submitted_at", "closed_at"]
    inlines = [TaskEventInline]
