"""Pages of the hall registers, mounted at /registers/."""
from django.urls import path

from . import views

app_name = "registers"
urlpatterns = [
    path("", views.index, name="index"),
    path("cashbox/", views.cashbox, name="cashbox"),
    path("cashbox/export/", views.cashbox_export, name="cashbox_export"),
    path("cashbox/<int:entry_id>/close/", views.cashbox_close, name="cashbox_close"),
    path("access/", views.access, name="access"),
    path("access/<int:request_id>/", views.access_request, name="access_request"),
    path("access/<int:request_id>/approve/", views.approve, name="approve"),
    path("access/<int:request_id>/refuse/", views.refuse, name="refuse"),
    path("access/<int:request_id>/enter/", views.enter, name="enter"),
    path("access/<int:request_id>/leave/", views.leave, name="leave"),
    path("access/<int:request_id>/cancel/", views.cancel, name="cancel"),
    path("live/", views.hall_events, name="live"),
    path("environment/", views.environment, name="environment"),
    path("environment/month/", views.environment_month, name="environment_month"),
    path("environment/owners/", views.owners, name="owners"),
    path("environment/owners/<int:owner_id>/remove/", views.owner_remove, name="owner_remove"),
]
