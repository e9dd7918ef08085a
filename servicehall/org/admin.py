import copy
import functools

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from servicehall.core import signin
from servicehall.core.admin import AuditedAdmin, AuditedAdminMixin

from . import services
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
    m2m_by_service = ("categories",)

    def save_m2m(self, request, form, change):
        services.set_counter_categories(form.instance, form.cleaned_data["categories"], by=request.user)


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


class PasswordChangeForm(AdminPasswordChangeForm):
    """The admin's password form, saving through the audited service."""

    def __init__(self, user, *args, actor, **kwargs):
        self.actor = actor
        super().__init__(user, *args, **kwargs)

    def save(self, commit=True):
        usable = self.cleaned_data.get("set_usable_password", True)
        return services.set_password(self.user, self.cleaned_data["password1"] if usable else None, by=self.actor)


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ["username", "employee_no", "display_name", "roles", "is_active"]
    list_filter = ["role_grants__role", "is_active", "halls"]
    search_fields = ["username", "employee_no", "display_name"]
    filter_horizontal = ["halls", "regions", "groups", "user_permissions"]
    inlines = [RoleGrantInline]
    m2m_by_service = ("halls", "regions")
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

    def save_m2m(self, request, form, change):
        # Halls and regions decide what the person sees: they go through the scope service (its own row).
        scope = {name: form.cleaned_data.pop(name) for name in self.m2m_by_service if name in form.cleaned_data}
        form.save_m2m()
        if scope:
            services.set_user_scope(form.instance, by=request.user, **scope)

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleGrant:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # fills new/changed/deleted_objects, which the admin's change message reads
        roles = [f.cleaned_data["role"] for f in formset.forms if f.cleaned_data.get("role") and not f.cleaned_data.get("DELETE")]
        services.set_roles(form.instance, roles, by=request.user)

    def user_change_password(self, request, id, form_url=""):
        # Django builds this form from `self.change_password_form` without the request: a copy of this
        # admin for the one request carries a form that knows who acts, so the save goes through the service.
        per_request = copy.copy(self)
        per_request.change_password_form = functools.partial(PasswordChangeForm, actor=request.user)
        return BaseUserAdmin.user_change_password(per_request, request, id, form_url)


@admin.register(Device)
class DeviceAdmin(AuditedAdmin):
    list_display = ["name", "kind", "hall", "counter", "token_prefix", "is_active", "last_seen_at"]
    list_filter = ["kind", "hall", "is_active"]
    actions = ["rotate_token"]

    def save_model(self, request, obj, form, change):
        if obj.token_hash:
            return super().save_model(request, obj, form, change)
        token = services.issue_device_token(obj, by=request.user)
        messages.warning(request, _("设备令牌（只显示一次，请妥善保存）：%(token)s") % {"token": token})

    @admin.action(description=_("重新生成令牌"))
    def rotate_token(self, request, queryset):
        for device in queryset:
            token = services.rotate_device_token(device, by=request.user)
            messages.warning(request, _("%(name)s 的新令牌：%(token)s") % {"name": device.name, "token": token})


# Permission groups grant rights like roles do: their edits are audited too.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, BaseGroupAdmin):
    pass
