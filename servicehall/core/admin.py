"""Admin for the audit log (read-only) and the audited base class every app's admin uses."""
from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

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
