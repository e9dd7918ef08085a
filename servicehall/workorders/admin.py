from django.contrib import admin

from servicehall.core.admin import AuditedAdmin

from .models import Enquiry, WorkOrder


@admin.register(WorkOrder)
class WorkOrderAdmin(AuditedAdmin):
    list_display = ["number", "hall", "handling_hall", "business", "teller", "status", "due_at", "reply_due_at"]
    list_filter = ["status", "hall"]
    search_fields = ["number", "customer_name"]
    # states, clocks and stages change only through the services (each with its event row and audit)
    readonly_fields = ["number", "status", "stages", "stage_index", "accepted_at", "finished_at", "stalled_count", "due_at", "warn_at",
                       "warned_at", "overdue_at", "clock_paused_at", "clock_remaining_seconds", "clock_total_seconds", "reply_due_at",
                       "replied_at", "service"]


@admin.register(Enquiry)
class EnquiryAdmin(AuditedAdmin):
    list_display = ["number", "hall", "channel", "first_asked", "owner", "handover_to", "status", "asked_at"]
    list_filter = ["status", "channel", "hall"]
    search_fields = ["number", "question"]
    readonly_fields = ["number", "status", "first_asked", "owner", "handover_to", "asked_at", "solved_at"]
