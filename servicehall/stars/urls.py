from django.urls import path

from . import views

app_name = "stars"
urlpatterns = [
    path("", views.hall, name="hall"),
    path("p/<int:person_id>/", views.review, name="review"),
    path("p/<int:person_id>/photo/", views.photo, name="photo"),
    path("p/<int:person_id>/photo/upload/", views.photo_upload, name="photo_upload"),
    path("notice/", views.notice, name="notice"),
    path("screen/", views.screen, name="screen"),
    path("screen/panel/", views.screen_panel, name="screen_panel"),
    path("formula/", views.formula, name="formula"),
    path("me/", views.mine, name="mine"),
    path("flower/<uuid:token>/", views.flower_public, name="flower_public"),
    path("pad/flower/", views.pad_flower, name="pad_flower"),
]
