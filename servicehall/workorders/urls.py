from django.urls import path

from . import views

app_name = "workorders"
urlpatterns = [
    path("", views.order_list, name="order_list"),
    path("new/", views.order_new, name="order_new"),
    path("<int:order_id>/", views.order_detail, name="order_detail"),
    path("<int:order_id>/do/<slug:action>/", views.order_action, name="order_action"),
    path("enquiries/", views.enquiry_list, name="enquiry_list"),
    path("enquiries/new/", views.enquiry_new, name="enquiry_new"),
    path("enquiries/<int:enquiry_id>/", views.enquiry_detail, name="enquiry_detail"),
    path("enquiries/<int:enquiry_id>/do/<slug:action>/", views.enquiry_action, name="enquiry_action"),
    path("report/", views.flow_report, name="flow_report"),
    path("report.xlsx", views.flow_report_xlsx, name="flow_report_xlsx"),
]
