"""Pages of recognition, mounted at /recognition/."""
from django.urls import path

from . import views

app_name = "recognition"
urlpatterns = [
    path("", views.index, name="index"),
    path("board/", views.board, name="board"),
    path("board/events/", views.board_events, name="live"),
    path("ballots/open/", views.ballot_open, name="ballot_open"),
    path("ballots/<int:ballot_id>/", views.ballot, name="ballot"),
    path("ballots/<int:ballot_id>/vote/", views.vote, name="vote"),
    path("ballots/<int:ballot_id>/do/<slug:action>/", views.ballot_action, name="ballot_action"),
    path("awards/", views.award, name="award"),
    path("notes/", views.note_post, name="note_post"),
    path("notes/<int:note_id>/remove/", views.note_remove, name="note_remove"),
    path("star-halls/", views.star_halls, name="star_halls"),
]
