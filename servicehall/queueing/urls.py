"""Queue pages and live streams, mounted at /queue/."""
from django.urls import path

from . import streams, views

app_name = "queueing"
urlpatterns = [
    path("kiosk/", views.kiosk, name="kiosk"),
    path("kiosk/categories/", views.kiosk_categories, name="kiosk_categories"),
    path("kiosk/take/", views.kiosk_take, name="kiosk_take"),
    path("kiosk/checkin/", views.kiosk_checkin, name="kiosk_checkin"),
    path("kiosk/ticket/<uuid:token>/", views.kiosk_ticket, name="kiosk_ticket"),
    path("console/", views.console, name="console"),
    path("console/<int:counter_id>/", views.console_panel, name="console_panel"),
    path("console/<int:counter_id>/<slug:action>/", views.console_action, name="console_action"),
    path("board/", views.board, name="board"),
    path("board/panel/", views.board_panel, name="board_panel"),
    path("board/announce.wav", views.announce_wav, name="announce_wav"),
    path("pad/", views.pad, name="pad"),
    path("pad/panel/", views.pad_panel, name="pad_panel"),
    path("pad/rate/", views.pad_rate, name="pad_rate"),
    path("live/", views.hall_live, name="hall_live"),
    path("live/panel/", views.hall_live_panel, name="hall_live_panel"),
    path("devices/", views.devices, name="devices"),
    path("events/", streams.hall_events, name="events"),
    path("t/<uuid:token>/", views.public_ticket, name="public_ticket"),
    path("t/<uuid:token>/status/", views.public_ticket_status, name="public_ticket_status"),
    path("t/<uuid:token>/events/", streams.ticket_events, name="ticket_events"),
]
