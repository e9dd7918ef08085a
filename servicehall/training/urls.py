from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.trainings, name="trainings"),
    path("t/<int:training_id>/", views.training, name="training"),
    path("t/<int:training_id>/attendance/", views.attendance, name="attendance"),
    path("t/<int:training_id>/do/<slug:action>/", views.act, name="act"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/hall/<int:hall_id>/", views.compliance_hall, name="compliance_hall"),
    path("compliance/hall/<int:hall_id>/enforce/", views.enforce, name="enforce"),
    path("exams/", views.exams, name="exams"),
    path("me/", views.mine, name="mine"),
]
