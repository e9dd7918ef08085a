from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("weights/", views.weights, name="weights"),
    path("surveys/import/", views.import_surveys, name="import_surveys"),
    path("surveys/template.xlsx", views.survey_template, name="survey_template"),
    path("h/<int:hall_id>/", views.hall, name="hall"),
    path("h/<int:hall_id>/rows/<slug:key>/", views.rows, name="rows"),
    path("h/<int:hall_id>/expert/", views.plan_expert, name="plan_expert"),
]
