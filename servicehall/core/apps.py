from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "servicehall.core"
    label = "core"
    verbose_name = _("公共")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from . import registry

        registry.nav("audit", _("审计日志"), "audit_log", {"supervisor", "admin", "station_head", "assessment_group"}, order=900, icon="history")
