from django.urls import path

from . import views

app_name = "standards"
urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.new, name="new"),
    path("<int:standard_id>/", views.detail, name="detail"),
    path("<int:standard_id>/revise/", views.revise, name="revise"),
]
