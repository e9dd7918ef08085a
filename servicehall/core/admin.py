"""Admin for the audit log (read-only) and the audited base class every app's admin uses."""
from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from . import audit
from .models import AuditEntry, LiveEvent


class AuditedAdminMixin:
    """Every change made in the admin leaves audit rows, like changes made through services: one row
    for the object (its fields and many-to-many lists, before → after) and one for each inline row
    created, changed or deleted. An app routes a write to its own service by overriding a hook:
    `save_m2m` (many-to-many fields), `save_formset` (an inline), `save_model` (the object)."""

    m2m_by_service: tuple[str, ...] = ()  # many-to-many fields whose service writes its own row (see `save_m2m`)

    def _audited_m2m(self, form) -> list[str]:
        return [f.name for f in form._meta.model._meta.many_to_many if f.name in form.fields and f.name not in self.m2m_by_service]

    def _state(self, obj, form) -> dict:
        return audit.snapshot(obj, m2m=self._audited_m2m(form))

    def save_form(self, request, form, change):
        # The form has already copied the new values onto the instance: read "before" from the database
        # now, while it still holds the old values and lists.
        obj = super().save_form(request, form, change)
        if change and obj.pk:
            obj._audit_before = self._state(type(obj)._default_manager.get(pk=obj.pk), form)
        return obj

    def save_m2m(self, request, form, change):
        form.save_m2m()

    def save_related(self, request, form, formsets, change):
        self.save_m2m(request, form, change)
        obj = form.instance
        before = getattr(obj, "_audit_before", None) if change else None
        after = self._state(obj, form)
        if not change or audit.changed(before, after)[1]:
            audit.record(actor=request.user, obj=obj, action="admin.change" if change else "admin.add", before=before, after=after)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit.record(actor=request.user, obj=obj, action="admin.delete", before=audit.snapshot(obj))
            obj.delete()
        for obj, _fields in formset.changed_objects:
            before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))
            obj.save()
            audit.record(actor=request.user, obj=obj, action="admin.change", before=before, after=audit.snapshot(obj))
        for obj in formset.new_objects:
            obj.save()
            audit.record(actor=request.user, obj=obj, action="admin.add", after=audit.snapshot(obj))
        formset.save_m2m()

    def delete_model(self, request, obj):
        audit.record(actor=request.user, obj=obj, action="admin.delete", before=self._deleted_state(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(actor=request.user, obj=obj, action="admin.delete", before=self._deleted_state(obj))
        super().delete_queryset(request, queryset)

    def _deleted_state(self, obj) -> dict:
        return audit.snapshot(obj, m2m=[f.name for f in obj._meta.many_to_many])


class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by services (events, audit rows, tickets): browsable, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_repr", "hall_id"]
    list_filter = ["object_type", "action"]
    search_fields = ["object_repr", "actor_label", "object_id"]


@admin.register(LiveEvent)
class LiveEventAdmin(AuditEntryAdmin):
    list_display = ["id", "at", "hall_id", "topic", "kind"]
    list_filter = ["topic", "kind"]
    search_fields = ["kind"]


def _chinese_task_results():
    """django-tasks-db ships English labels only (its .po has no zh-hans); give its admin Chinese ones."""
    labels = {
        "id": _("编号"), "status": _("状态"), "enqueued_at": _("入队时间"), "started_at": _("开始时间"),
        "finished_at": _("完成时间"), "args_kwargs": _("参数"), "priority": _("优先级"), "task_path": _("任务"),
        "worker_ids": _("执行进程"), "queue_name": _("队列"), "backend_name": _("后端"), "run_after": _("计划执行时间"),
        "return_value": _("返回值"), "exception_class_path": _("异常类型"), "traceback": _("错误堆栈"),
    }
    for name, label in labels.items():
        DBTaskResult._meta.get_field(name).verbose_name = label
    DBTaskResult._meta.verbose_name = DBTaskResult._meta.verbose_name_plural = _("后台任务")
    apps.get_app_config(DBTaskResult._meta.app_label).verbose_name = _("后台任务")

    class TaskResultAdmin(DBTaskResultAdmin):
        list_display = ("id", "task_label", "status", "enqueued_at", "started_at", "finished_at", "priority", "queue_name")

        @admin.display(description=_("任务"))
        def task_label(self, obj):
            return obj.task_name

        @admin.display(description=_("错误堆栈"))
        def formatted_traceback(self, obj):
            return super().formatted_traceback(obj)

        @admin.display(description=_("计划执行时间"))
        def display_run_after(self, obj):
            return super().display_run_after(obj)

    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)
    admin.site.register(DBTaskResult, TaskResultAdmin)


_chinese_task_results()
