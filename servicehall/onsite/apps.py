from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnsiteConfig(AppConfig):
    name = "servicehall.onsite"
    label = "onsite"
    verbose_name = _("现场管理")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; demo data)
