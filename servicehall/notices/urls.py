"""Notices pages, mounted at /notices/."""
from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="notice_list"),
]
