"""Self-service and publicity pages, mounted at /hallinfo/."""
from django.urls import path

from . import views

app_name = "hallinfo"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("publicity/new/", views.publish, name="publish"),
    path("publicity/<int:material_id>/withdraw/", views.withdraw, name="withdraw"),
]
