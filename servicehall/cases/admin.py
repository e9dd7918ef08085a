"""Admin of the cases domain: the configurable lists (root causes, step deadlines, warning thresholds)
are edited here; cases themselves are changed only through the pages (services), so they are read-only."""
from django.contrib import admin

from servicehall.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Case, CaseEvent, DeadlinePolicy, EarlyWarning, ImportBatch, RootCause, WarningThresholds


@admin.register(RootCause)
class RootCauseAdmin(AuditedAdmin):
    list_display = ["name", "code", "group", "hall_fault", "order", "is_active"]
    list_filter = ["group", "hall_fault", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "code"]


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(AuditedAdmin):
    list_display = ["__str__", "accept_minutes", "handle_minutes", "feedback_minutes", "revisit_minutes", "close_minutes", "escalate_minutes"]


@admin.register(WarningThresholds)
class WarningThresholdsAdmin(AuditedAdmin):
    list_display = ["__str__", "window_days", "repeat_customer_count", "repeat_issue_count", "complaint_rate_per_10k", "rate_min_tickets",
                    "latent_trigger_count"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["at", "kind", "from_status", "to_status", "by", "payload"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "hall", "channel", "kind", "status", "received_at", "overdue_count", "escalation_level", "hall_responsible"]
    list_filter = ["status", "channel", "kind", "hall"]
    search_fields = ["number", "title", "external_ref"]
    exclude = ["customer_phone"]
    inlines = [CaseEventInline]


@admin.register(EarlyWarning)
class EarlyWarningAdmin(ReadOnlyAdmin):
    list_display = ["title", "hall", "kind", "state", "opened_at", "closed_at"]
    list_filter = ["kind", "state", "hall"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "uploaded_by", "uploaded_at", "imported", "duplicates", "rejected"]
