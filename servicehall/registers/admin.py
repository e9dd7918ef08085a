"""Admin of the hall registers: hygiene owners are edited (audited); the registers themselves are written only
by their services and are read-only here."""
from django.contrib import admin

from servicehall.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import AccessEvent, AccessRequest, CashBoxEntry, EnvironmentRecord, HygieneOwner


@admin.register(HygieneOwner)
class HygieneOwnerAdmin(AuditedAdmin):
    list_display = ["hall", "area", "person", "overall"]
    list_filter = ["hall"]


@admin.register(CashBoxEntry)
class CashBoxEntryAdmin(ReadOnlyAdmin):
    list_display = ["hall", "box", "amount", "opened_by", "opened_at", "closed_by", "closed_at"]
    list_filter = ["hall", "business_day"]


class AccessEventInline(admin.TabularInline):
    model = AccessEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "from_status", "to_status", "by", "at", "note"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = ["hall", "area", "requested_by", "requested_at", "status", "decided_by", "decided_at", "entered_at", "left_at"]
    list_filter = ["hall", "status", "area"]
    inlines = [AccessEventInline]


@admin.register(EnvironmentRecord)
class EnvironmentRecordAdmin(ReadOnlyAdmin):
    list_display = ["hall", "kind", "business_day", "recorded_by", "recorded_at"]
    list_filter = ["hall", "kind"]
