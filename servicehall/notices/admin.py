from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from servicehall.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Notice, NoticeTemplate


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(AuditedAdmin):
    list_display = ["name", "kind", "channel", "is_active"]
    list_filter = ["channel", "is_active"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "hall", "kind", "channel", "recipient_masked", "state", "attempts"]
    list_filter = ["state", "channel", "kind"]
    exclude = ["recipient", "params"]  # R-P1: the admin shows the masked recipient only
    readonly_fields = ["recipient_masked"]

    @admin.display(description=_("接收人"))
    def recipient_masked(self, obj):
        return obj.masked_recipient
