from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "servicehall.inspections"
    label = "inspections"
    verbose_name = _("检查与现场管理")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; navigation, home panels, demo data)
