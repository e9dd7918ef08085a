"""Pages of emergencies, mounted at /emergencies/."""
from django.urls import path

from . import views

app_name = "emergencies"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("live/", views.hall_events, name="live"),
    path("network/", views.network, name="network"),
    path("network/<int:contact_id>/remove/", views.remove_contact, name="remove_contact"),
    path("<int:incident_id>/", views.incident, name="incident"),
    path("<int:incident_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:incident_id>/escalate/", views.escalate, name="escalate"),
    path("<int:incident_id>/close/", views.close, name="close"),
    path("<int:incident_id>/actions/<int:index>/", views.complete_action, name="complete_action"),
]
