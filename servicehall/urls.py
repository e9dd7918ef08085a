from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from servicehall.api import api
from servicehall.core import views as core_views
from servicehall.core.forms import LoginForm
from servicehall.org import views as org_views

admin.site.site_header = admin.site.site_title = _("servicehall 管理后台")
admin.site.index_title = _("系统管理")

urlpatterns = [
    path("", core_views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="core/login.html", authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("hall/switch/", org_views.switch_hall, name="switch_hall"),
    path("audit/", org_views.audit_log, name="audit_log"),
    path("healthz", core_views.healthz, name="healthz"),
    path("exports/<int:pk>/", core_views.export_job, name="export_job"),
    path("exports/<int:pk>/state", core_views.export_job_state, name="export_job_state"),
    path("exports/<int:pk>/file", core_views.export_job_file, name="export_job_file"),
    path("org/", include("servicehall.org.urls")),
    path("catalogue/", include("servicehall.catalogue.urls")),
    path("queue/", include("servicehall.queueing.urls")),
    path("cases/", include("servicehall.cases.urls")),
    path("inspections/", include("servicehall.inspections.urls")),
    path("onsite/", include("servicehall.onsite.urls")),
    path("notices/", include("servicehall.notices.urls")),
    path("waits/", include("servicehall.waits.urls")),
    path("hallinfo/", include("servicehall.hallinfo.urls")),
    path("video/", include("servicehall.video.urls")),
    path("emergencies/", include("servicehall.emergencies.urls")),
    path("workorders/", include("servicehall.workorders.urls")),
    path("assessment/", include("servicehall.assessment.urls")),
    path("registers/", include("servicehall.registers.urls")),
    path("guidance/", include("servicehall.guidance.urls")),
    path("training/", include("servicehall.training.urls")),
    path("recognition/", include("servicehall.recognition.urls")),
    path("standards/", include("servicehall.standards.urls")),
    path("stars/", include("servicehall.stars.urls")),
    path("evaluation/", include("servicehall.evaluation.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
# Uploaded files (inspection photos, case evidence) are never served from /media/: each app serves
# them through a view that checks the hall scope (R-P1), in DEBUG too.
