from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.months, name="months"),
    path("open/", views.month_open, name="month_open"),
    path("weights/", views.weights, name="weights"),
    path("m/<int:month_id>/", views.month, name="month"),
    path("m/<int:month_id>/do/<slug:action>/", views.month_action, name="month_action"),
    path("m/<int:month_id>/veto/", views.veto, name="veto"),
    path("m/<int:month_id>/payroll.xlsx", views.payroll, name="payroll"),
    path("me/", views.mine, name="mine"),
    path("s/<int:score_id>/", views.score, name="score"),
    path("s/<int:score_id>/rows/<slug:key>/", views.rows, name="rows"),
    path("s/<int:score_id>/objection/", views.objection, name="objection"),
    path("o/<int:objection_id>/answer/", views.answer, name="answer"),
    path("s/<int:score_id>/suspend/", views.suspend, name="suspend"),
    path("suspension/<int:suspension_id>/lift/", views.lift, name="lift"),
]
