from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "servicehall.cases"
    label = "cases"
    verbose_name = _("投诉与客户意见")

    def ready(self):
        from . import registry  # noqa: F401  (navigation, home panels, demo data)
