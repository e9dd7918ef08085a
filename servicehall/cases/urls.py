from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_new, name="case_new"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/do/<slug:action>/", views.case_action, name="case_action"),
    path("<int:case_id>/phone/", views.reveal_phone, name="reveal_phone"),
    path("<int:case_id>/acknowledgement/", views.acknowledgement, name="acknowledgement"),
    path("import/", views.import_page, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:batch_id>/", views.import_result, name="import_result"),
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/<int:warning_id>/close/", views.warning_close, name="warning_close"),
    path("reports/monthly/", views.monthly_report, name="monthly_report"),
    path("reports/monthly.pdf", views.monthly_report_pdf, name="monthly_report_pdf"),
    path("reports/monthly.xlsx", views.monthly_report_xlsx, name="monthly_report_xlsx"),
    path("settings/", views.settings_page, name="settings"),
]
