from django.contrib import admin

from servicehall.core.admin import AuditedAdmin

from .models import BusinessFamily, BusinessForm, BusinessType, FormField, RequiredDocument, ServiceCategory, StageDefinition


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(AuditedAdmin):
    list_display = ["prefix", "name", "code", "order", "is_active"]


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class FamilyStageInline(admin.TabularInline):
    model = StageDefinition
    fk_name = "family"
    exclude = ["business"]
    extra = 0


class BusinessStageInline(admin.TabularInline):
    """A type's own stages replace its family's (R-B3)."""

    model = StageDefinition
    fk_name = "business"
    exclude = ["family"]
    extra = 0


class BusinessTypeInline(admin.TabularInline):
    model = BusinessType
    extra = 0
    fields = ["code", "name", "category", "time_limit_seconds", "one_id_acceptance", "is_active"]


@admin.register(BusinessFamily)
class BusinessFamilyAdmin(AuditedAdmin):
    list_display = ["name", "code", "order"]
    inlines = [FamilyStageInline, BusinessTypeInline]


@admin.register(BusinessType)
class BusinessTypeAdmin(AuditedAdmin):
    list_display = ["name", "family", "category", "time_limit_seconds", "one_id_acceptance", "is_active"]
    list_filter = ["family", "category", "one_id_acceptance", "is_active"]
    search_fields = ["name", "code"]
    inlines = [BusinessStageInline, RequiredDocumentInline]


class FormFieldInline(admin.TabularInline):
    model = FormField
    extra = 0


@admin.register(BusinessForm)
class BusinessFormAdmin(AuditedAdmin):
    """The application form the guide pre-fills (R-Q11): its fields, the document each is read from, required or not."""

    list_display = ["title", "business"]
    search_fields = ["title", "business__name"]
    inlines = [FormFieldInline]
