from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:code>/notice/", views.notice, name="notice"),
    path("n/<uuid:token>/", views.public_notice, name="public_notice"),
    path("n/<uuid:token>/qr.svg", views.notice_qr, name="notice_qr"),
]
