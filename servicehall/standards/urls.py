from django.urls import path

from . import views

app_name = "standards"
urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.new, name="new"),
    path("<int:standard_id>/", views.detail, name="detail"),
    path("<int:standard_id>/revise/", views.revise, name="revise"),
    path("hours/", views.hours, name="hours"),
    path("hours/kept/", views.hours_kept_page, name="hours_kept"),
    path("hours/<int:request_id>/", views.hours_request, name="hours_request"),
    path("hours/<int:request_id>/decide/", views.hours_decide, name="hours_decide"),
]
