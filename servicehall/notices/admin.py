from django.contrib import admin

from servicehall.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Notice, NoticeTemplate


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(AuditedAdmin):
    list_display = ["name", "kind", "channel", "is_active"]
    list_filter = ["channel", "is_active"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "hall", "kind", "channel", "masked_recipient", "state", "attempts"]
    list_filter = ["state", "channel", "kind"]
    exclude = ["recipient", "params"]  # R-P1: the admin shows the masked recipient only
    readonly_fields = ["masked_recipient"]
