"""Admin registration of the visit-loop tables. Ticket events and ratings are records: read-only."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from servicehall.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import (
    Appointment,
    CounterPause,
    CounterState,
    QueueSettings,
    Rating,
    Service,
    SurgeAlert,
    Ticket,
    TicketEvent,
    TicketSequence,
)


@admin.register(QueueSettings)
class QueueSettingsAdmin(AuditedAdmin):
    list_display = ["hall", "surge_waiting_threshold", "surge_longest_wait_seconds", "surge_predicted_wait_seconds", "surge_target_wait_seconds",
                    "surge_target_share", "recalls_before_no_show", "appointment_grace_seconds"]


@admin.register(Appointment)
class AppointmentAdmin(AuditedAdmin):
    list_display = ["code", "hall", "category", "slot_start", "customer_name", "phone_masked", "ticket"]
    list_filter = ["hall", "category"]
    search_fields = ["code", "customer_name"]
    raw_id_fields = ["ticket"]
    date_hierarchy = "slot_start"

    @admin.display(description=_("联系电话"))
    def phone_masked(self, obj):
        return obj.masked_phone


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "from_status", "to_status", "counter", "by", "device", "payload"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["code", "hall", "business_day", "category", "priority_reason", "status", "counter", "issued_at", "called_at"]
    list_filter = ["hall", "status", "category", "priority_reason"]
    search_fields = ["code"]
    date_hierarchy = "issued_at"
    inlines = [TicketEventInline]


@admin.register(TicketSequence)
class TicketSequenceAdmin(ReadOnlyAdmin):
    list_display = ["hall", "business_day", "category", "last_number"]
    list_filter = ["hall"]


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "hall", "counter", "teller", "started_at", "handling_seconds", "time_limit_seconds", "over_limit",
                    "overrun_reason", "outcome"]
    list_filter = ["hall", "over_limit", "outcome", "overrun_reason"]
    date_hierarchy = "started_at"


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "hall", "counter", "teller", "score", "reasons", "comment"]
    list_filter = ["hall", "score"]
    date_hierarchy = "created_at"


@admin.register(CounterState)
class CounterStateAdmin(ReadOnlyAdmin):
    list_display = ["counter", "hall", "state", "teller", "since", "pause_reason"]
    list_filter = ["hall", "state"]


@admin.register(CounterPause)
class CounterPauseAdmin(ReadOnlyAdmin):
    list_display = ["counter", "hall", "teller", "reason", "started_at", "ended_at"]
    list_filter = ["hall", "reason"]
    date_hierarchy = "started_at"


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "hall", "ticket", "kind", "from_status", "to_status", "counter", "by", "device"]
    list_filter = ["hall", "kind"]
    date_hierarchy = "at"


@admin.register(SurgeAlert)
class SurgeAlertAdmin(ReadOnlyAdmin):
    list_display = ["hall", "opened_at", "closed_at", "peak_waiting", "peak_longest_wait_seconds", "recommended_extra_counters",
                    "recommend_self_service"]
    list_filter = ["hall", "recommend_self_service"]
    date_hierarchy = "opened_at"
