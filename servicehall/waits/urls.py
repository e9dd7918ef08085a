"""Wait forecast pages, mounted at /waits/."""
from django.urls import path

from . import views

app_name = "waits"
urlpatterns = [
    path("", views.forecast, name="forecast"),
    path("t/<uuid:token>/watch/", views.watch, name="watch"),
]
