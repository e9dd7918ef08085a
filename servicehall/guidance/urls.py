"""Guide desk pages, mounted at /guidance/."""
from django.urls import path

from . import streams, views

app_name = "guidance"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("callbacks/<int:callback_id>/phone/", views.reveal_phone, name="reveal_phone"),
    path("callbacks/<int:callback_id>/<slug:action>/", views.callback_action, name="callback_action"),
    path("errors/", views.errors, name="errors"),
    path("forms/<int:draft_id>/print/", views.print_form, name="print_form"),
    path("forms/<int:draft_id>/correct/", views.correct_form, name="correct_form"),
    path("key-customers/panel/", views.key_customers_panel, name="key_customers_panel"),
    path("key-customers/live/", streams.key_customer_events, name="key_customers_live"),
    path("key-customers/<int:customer_id>/phone/", views.reveal_key_customer_phone, name="reveal_key_customer_phone"),
]
