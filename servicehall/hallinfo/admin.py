from django.contrib import admin

from servicehall.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import PublicityMaterial, PublicityTemplate, SelfServiceTally, SelfServiceTerminal, TerminalEvent


@admin.register(SelfServiceTerminal)
class SelfServiceTerminalAdmin(AuditedAdmin):
    """A terminal is an org device of kind 自助终端 (its token is issued in 组织与人员 → 设备) plus where it stands."""

    list_display = ["device", "hall", "kind", "location", "state", "last_heartbeat_at", "is_active"]
    list_filter = ["kind", "state", "hall"]
    readonly_fields = ["state", "fault_reason", "fault_since", "last_heartbeat_at", "heartbeat_due_at", "fault_raised_at"]
    raw_id_fields = ["device"]


@admin.register(PublicityTemplate)
class PublicityTemplateAdmin(AuditedAdmin):
    list_display = ["name", "kind", "valid_days", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(PublicityMaterial)
class PublicityMaterialAdmin(ReadOnlyAdmin):
    list_display = ["title", "hall", "kind", "starts_at", "expires_at", "withdrawn_at"]
    list_filter = ["kind", "hall"]


@admin.register(TerminalEvent)
class TerminalEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "terminal", "kind", "detail"]


@admin.register(SelfServiceTally)
class SelfServiceTallyAdmin(ReadOnlyAdmin):
    list_display = ["day", "terminal", "transactions"]
