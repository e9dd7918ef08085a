"""Pages of on-site management, mounted at /onsite/."""
from django.urls import path

from . import views

app_name = "onsite"
urlpatterns = [
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/open/", views.meeting_open, name="meeting_open"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("meetings/<int:meeting_id>/attendance/<int:attendance_id>/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:meeting_id>/refresh/", views.meeting_refresh, name="meeting_refresh"),
    path("meetings/<int:meeting_id>/study/", views.meeting_study, name="meeting_study"),
    path("meetings/<int:meeting_id>/finish/", views.meeting_finish, name="meeting_finish"),
    path("handovers/", views.handovers, name="handovers"),
    path("handovers/<int:handover_id>/accept/", views.handover_accept, name="handover_accept"),
    path("errors/", views.errors, name="errors"),
]
