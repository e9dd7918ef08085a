"""Key customers and their account managers are kept in the admin (audited like every admin change)."""
from django.contrib import admin

from servicehall.core.admin import AuditedAdmin

from .models import KeyCustomer


@admin.register(KeyCustomer)
class KeyCustomerAdmin(AuditedAdmin):
    list_display = ["name", "hall", "phone_masked", "account_manager", "is_active"]
    list_filter = ["hall", "is_active"]
    search_fields = ["name"]

    @admin.display(description=KeyCustomer._meta.get_field("phone").verbose_name)
    def phone_masked(self, obj):
        return obj.masked_phone
