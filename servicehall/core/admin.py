"""Admin for the audit log (read-only) and the audited base class every app's admin uses."""
from django.contrib import admin

from . import audit
from .models import AuditEntry, LiveEvent


class AuditedAdmin(admin.ModelAdmin):
    """Every change made in the admin leaves an audit row, like changes made through services."""

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        audit.record(actor=request.user, obj=obj, action="admin.change" if change else "admin.add", before=before, after=audit.snapshot(obj))

    def delete_model(self, request, obj):
        audit.record(actor=request.user, obj=obj, action="admin.delete", before=audit.snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(actor=request.user, obj=obj, action="admin.delete", before=audit.snapshot(obj))
        super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_repr", "hall_id"]
    list_filter = ["object_type", "action"]
    search_fields = ["object_repr", "actor_label", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LiveEvent)
class LiveEventAdmin(AuditEntryAdmin):
    list_display = ["id", "at", "hall_id", "topic", "kind"]
    list_filter = ["topic", "kind"]
    search_fields = ["kind"]
