"""Video pages, mounted at /video/."""
from django.urls import path

from . import views

app_name = "video"
urlpatterns = [
    path("span/<slug:kind>/<int:pk>/", views.span, name="span"),
    path("clips/<int:clip_id>/file", views.clip_file, name="clip_file"),
    path("findings/", views.findings, name="findings"),
    path("findings/<int:finding_id>/", views.finding, name="finding"),
    path("findings/<int:finding_id>/review/", views.review, name="review"),
    path("findings/<int:finding_id>/frame.jpg", views.finding_frame, name="finding_frame"),
    path("hall/", views.hall_video, name="hall"),
    path("consent/", views.consent_record, name="consent_record"),
    path("consent/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
