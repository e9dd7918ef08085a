from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StarsConfig(AppConfig):
    name = "servicehall.stars"
    label = "stars"
    verbose_name = _("星级服务")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; navigation, demo data)
