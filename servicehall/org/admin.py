from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from servicehall.core import signin
from servicehall.core.admin import AuditedAdmin

from .models import Company, Counter, Device, Hall, OpeningHours, Region, RoleGrant, SpecialDay, User


@admin.register(Company)
class CompanyAdmin(AuditedAdmin):
    list_display = ["code", "name"]


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["name", "code", "level", "parent", "company"]
    list_filter = ["level", "company"]
    search_fields = ["name", "code"]


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0
    fields = ["number", "name", "kind", "is_active"]


@admin.register(Hall)
class HallAdmin(AuditedAdmin):
    list_display = ["name", "code", "grade", "region", "is_active"]
    list_filter = ["grade", "region", "is_active"]
    search_fields = ["name", "code", "address"]
    inlines = [OpeningHoursInline, CounterInline]


@admin.register(SpecialDay)
class SpecialDayAdmin(AuditedAdmin):
    list_display = ["date", "name", "hall", "closed", "opens", "closes"]
    list_filter = ["closed", "hall"]


@admin.register(Counter)
class CounterAdmin(AuditedAdmin):
    list_display = ["hall", "number", "name", "kind", "is_active"]
    list_filter = ["hall", "kind", "is_active"]
    filter_horizontal = ["categories"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "employee_no", "display_name", "roles", "is_active"]
    list_filter = ["role_grants__role", "is_active", "halls"]
    search_fields = ["username", "employee_no", "display_name"]
    filter_horizontal = ["halls", "regions", "groups", "user_permissions"]
    inlines = [RoleGrantInline]
    fieldsets = BaseUserAdmin.fieldsets + ((_("营业厅与角色"), {"fields": ["employee_no", "display_name", "phone", "halls", "regions"]}),)
    actions = ["unlock_sign_in"]

    @admin.display(description=_("角色"))
    def roles(self, obj):
        return "、".join(g.get_role_display() for g in obj.role_grants.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("role_grants")

    @admin.action(description=_("解除登录锁定"))
    def unlock_sign_in(self, request, queryset):
        for user in queryset:
            signin.unlock(user=user, by=request.user)
        messages.success(request, _("已解除 %(n)s 个账号的登录锁定。") % {"n": len(queryset)})


@admin.register(Device)
class DeviceAdmin(AuditedAdmin):
    list_display = ["name", "kind", "hall", "counter", "token_prefix", "is_active", "last_seen_at"]
    list_filter = ["kind", "hall", "is_active"]
    actions = ["rotate_token"]

    def save_model(self, request, obj, form, change):
        if not obj.token_hash:
            token = obj.issue_token()
            messages.warning(request, _("设备令牌（只显示一次，请妥善保存）：%(token)s") % {"token": token})
        super().save_model(request, obj, form, change)

    @admin.action(description=_("重新生成令牌"))
    def rotate_token(self, request, queryset):
        for device in queryset:
            token = device.issue_token()
            device.save(update_fields=["token_prefix", "token_hash"])
            messages.warning(request, _("%(name)s 的新令牌：%(token)s") % {"name": device.name, "token": token})
