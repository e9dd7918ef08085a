from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("halls/", views.hall_list, name="hall_list"),
    path("halls/<int:hall_id>/", views.hall_detail, name="hall_detail"),
]
