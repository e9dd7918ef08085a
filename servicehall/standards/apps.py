from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "servicehall.standards"
    label = "standards"
    verbose_name = _("服务标准")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; navigation, demo data)
