"""Admin of emergencies: incident types, response plans (every save publishes a new version: incidents keep the
version they were raised with), the contact network; incidents and their records are read-only here."""
from django import forms
from django.contrib import admin
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from servicehall.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Contact, EscalationNotification, Incident, IncidentEvent, IncidentType, LadderEntry, ResponsePlan


@admin.register(IncidentType)
class IncidentTypeAdmin(AuditedAdmin):
    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]


class PlanForm(forms.ModelForm):
    first_actions = forms.CharField(label=_("首要处置清单"), widget=forms.Textarea(attrs={"rows": 6}), help_text=_("每行一项，按顺序执行。"))

    class Meta:
        model = ResponsePlan
        fields = ["incident_type", "title", "first_actions", "guide"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["first_actions"] = "\n".join(self.instance.first_actions or [])

    def clean_first_actions(self):
        # required and stripped by the field, so at least one line is left
        return [line.strip() for line in self.cleaned_data["first_actions"].splitlines() if line.strip()]


@admin.register(ResponsePlan)
class ResponsePlanAdmin(AuditedAdmin):
    form = PlanForm
    list_display = ["title", "incident_type", "version", "created_at", "created_by"]
    list_filter = ["incident_type"]

    def save_model(self, request, obj, form, change):
        # Saving never rewrites a version an incident may point at: it publishes the next one.
        latest = ResponsePlan.objects.filter(incident_type=obj.incident_type).aggregate(v=Max("version"))["v"] or 0
        obj.pk, obj.version, obj.created_by = None, latest + 1, request.user
        obj._state.adding = True
        obj.save()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contact)
class ContactAdmin(AuditedAdmin):
    list_display = ["level", "hall", "region", "company", "person", "duty", "first_contact", "order"]
    list_filter = ["level", "region", "company"]
    raw_id_fields = ["person"]


class LadderInline(admin.TabularInline):
    model = LadderEntry
    fields = ["level", "name", "duty", "first_contact"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class EventInline(admin.TabularInline):
    model = IncidentEvent
    fields = ["at", "kind", "by", "from_status", "to_status", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["id", "hall", "incident_type", "status", "level", "source", "raised_at", "closed_at"]
    list_filter = ["status", "incident_type", "source"]
    inlines = [LadderInline, EventInline]


@admin.register(EscalationNotification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["incident", "level", "recipient", "sent_at", "notice"]
