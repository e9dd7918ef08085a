"""Pages of the inspections domain, mounted at /inspections/."""
from django.urls import path
from django.views.generic import RedirectView

from . import streams, views

app_name = "inspections"
urlpatterns = [
    path("", views.index, name="index"),
    path("patrols/", views.patrols, name="patrols"),
    path("patrols/settings/", views.patrol_settings, name="patrol_settings"),
    path("patrols/start/", views.patrol_start_today, name="patrol_start_today"),
    path("patrols/<int:slot_id>/start/", views.patrol_start, name="patrol_start"),
    path("patrols/<int:slot_id>/explain/", views.patrol_explain, name="patrol_explain"),
    path("security/", views.security, name="security"),
    path("security/start/", views.security_start, name="security_start"),
    path("security/schedule/", views.security_schedule, name="security_schedule"),
    path("security/missed/", views.security_missed, name="security_missed"),
    path("i/<int:inspection_id>/", views.inspection, name="inspection"),
    path("i/<int:inspection_id>/items/<int:item_id>/answer/", views.answer, name="answer"),
    path("i/<int:inspection_id>/items/<int:item_id>/photo/", views.answer_photo, name="answer_photo"),
    path("i/<int:inspection_id>/submit/", views.inspection_submit, name="inspection_submit"),
    path("i/<int:inspection_id>/publish/", views.inspection_publish, name="inspection_publish"),
    path("i/<int:inspection_id>/cancel/", views.inspection_cancel, name="inspection_cancel"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("photos/<int:photo_id>/remove/", views.photo_remove, name="photo_remove"),
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("planner/", views.planner, name="planner"),
    path("templates/", views.templates, name="templates"),
    path("templates/new/", views.template_new, name="template_new"),
    path("templates/<int:template_id>/", views.template, name="template"),
    path("templates/<int:template_id>/edit/", views.template_edit, name="template_edit"),
    path("versions/<int:version_id>/publish/", views.version_publish, name="version_publish"),
    path("versions/<int:version_id>/settings/", views.version_settings, name="version_settings"),
    path("versions/<int:version_id>/sections/", views.section_add, name="section_add"),
    path("sections/<int:section_id>/remove/", views.section_remove, name="section_remove"),
    path("sections/<int:section_id>/items/", views.item_add, name="item_add"),
    path("items/<int:item_id>/", views.item_update, name="item_update"),
    path("items/<int:item_id>/remove/", views.item_remove, name="item_remove"),
    # Meetings, handovers and the error record moved to the onsite app (/onsite/): the old pages redirect, under
    # their old names, so bookmarks and `reverse("inspections:meeting", …)` still arrive.
    path("meetings/", RedirectView.as_view(pattern_name="onsite:meetings", permanent=True), name="meetings"),
    path("meetings/<int:meeting_id>/", RedirectView.as_view(pattern_name="onsite:meeting", permanent=True), name="meeting"),
    path("handovers/", RedirectView.as_view(pattern_name="onsite:handovers", permanent=True), name="handovers"),
    path("errors/", RedirectView.as_view(pattern_name="onsite:errors", permanent=True), name="errors"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:task_id>/", views.task, name="task"),
    path("tasks/<int:task_id>/submit/", views.task_submit, name="task_submit"),
    path("tasks/<int:task_id>/photo/", views.task_photo, name="task_photo"),
    path("tasks/<int:task_id>/verify/", views.task_verify, name="task_verify"),
    path("tasks/<int:task_id>/reject/", views.task_reject, name="task_reject"),
    path("tasks/<int:task_id>/reassign/", views.task_reassign, name="task_reassign"),
    path("report/", views.report, name="report"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("live/", streams.hall_events, name="live"),
    path("panels/<slug:key>/", views.panel, name="panel"),
]
