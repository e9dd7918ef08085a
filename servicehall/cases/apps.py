from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "servicehall.cases"
    label = "cases"
    verbose_name = _("投诉与客户意见")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; navigation, home panels, demo data)
