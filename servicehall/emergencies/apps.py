from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergenciesConfig(AppConfig):
    name = "servicehall.emergencies"
    label = "emergencies"
    verbose_name = _("应急管理")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; hooks, nav, panels, demo data)
