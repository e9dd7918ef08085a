from django.contrib import admin

from servicehall.core.admin import AuditedAdmin

from .models import BusinessFamily, BusinessType, RequiredDocument, ServiceCategory


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(AuditedAdmin):
    list_display = ["prefix", "name", "code", "order", "is_active"]


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class BusinessTypeInline(admin.TabularInline):
    model = BusinessType
    extra = 0
    fields = ["code", "name", "category", "time_limit_seconds", "one_id_acceptance", "is_active"]


@admin.register(BusinessFamily)
class BusinessFamilyAdmin(AuditedAdmin):
    list_display = ["name", "code", "order"]
    inlines = [BusinessTypeInline]


@admin.register(BusinessType)
class BusinessTypeAdmin(AuditedAdmin):
    list_display = ["name", "family", "category", "time_limit_seconds", "one_id_acceptance", "is_active"]
    list_filter = ["family", "category", "one_id_acceptance", "is_active"]
    search_fields = ["name", "code"]
    inlines = [RequiredDocumentInline]
