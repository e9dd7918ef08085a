"""Admin of the video domain: recorder families (playback templates), recorders, cameras (with their
floor calibration checked on save) and retention are configured here; clips, jobs, findings and
consent records are written by the services, so they are read-only."""
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from servicehall.core.admin import AuditedAdmin, ReadOnlyAdmin
from servicehall.core.errors import DomainError

from . import playback
from .analysis.setup import CameraSetup
from .calibration import CalibrationError
from .models import AnalysisJob, AnalysisSchedule, Camera, Clip, Consent, Finding, Recorder, RecorderFamily, RetentionPolicy


class FamilyForm(forms.ModelForm):
    class Meta:
        model = RecorderFamily
        fields = ["code", "name", "playback_template", "clock", "default_port", "serves_files", "note"]

    def clean_playback_template(self):
        template = self.cleaned_data["playback_template"]
        try:
            playback.check_template(template)
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from None
        return template


@admin.register(RecorderFamily)
class RecorderFamilyAdmin(AuditedAdmin):
    form = FamilyForm
    list_display = ["name", "code", "clock", "serves_files", "playback_template"]


@admin.register(Recorder)
class RecorderAdmin(AuditedAdmin):
    list_display = ["name", "hall", "family", "host", "port", "is_active"]
    list_filter = ["family", "is_active"]


class CameraForm(forms.ModelForm):
    class Meta:
        model = Camera
        fields = ["hall", "recorder", "channel", "counter", "kind", "name", "geometry", "is_active"]

    def clean_geometry(self):
        geometry = self.cleaned_data["geometry"] or {}
        try:
            CameraSetup.from_geometry(geometry)
        except CalibrationError as exc:
            raise forms.ValidationError(_("标定不正确：%(error)s") % {"error": exc}) from None
        return geometry

    def clean(self):
        data = super().clean()
        for field in ("recorder", "counter"):
            other = data.get(field)
            if other is not None and data.get("hall") is not None and other.hall_id != data["hall"].pk:
                self.add_error(field, _("必须属于同一营业厅。"))
        return data


@admin.register(Camera)
class CameraAdmin(AuditedAdmin):
    form = CameraForm
    list_display = ["name", "hall", "kind", "counter", "recorder", "channel", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(AuditedAdmin):
    list_display = ["kind", "days"]


@admin.register(Clip)
class ClipAdmin(ReadOnlyAdmin):
    list_display = ["camera", "kind", "start_at", "end_at", "expires_at", "deleted_at"]
    list_filter = ["kind"]


@admin.register(AnalysisJob)
class AnalysisJobAdmin(ReadOnlyAdmin):
    list_display = ["clip", "status", "due_at", "finished_at", "video_seconds", "wall_seconds", "findings_count"]
    list_filter = ["status"]


@admin.register(AnalysisSchedule)
class AnalysisScheduleAdmin(ReadOnlyAdmin):
    list_display = ["hall", "level", "level_since", "next_plan_at"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["rule", "hall", "camera", "person", "started_at", "status"]
    list_filter = ["rule", "status"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["person", "hall", "informed_at", "informed_by", "withdrawn_at"]
