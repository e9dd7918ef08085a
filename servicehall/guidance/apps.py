from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "servicehall.guidance"
    label = "guidance"
    verbose_name = _("引导服务")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions and revealable numbers; navigation, hooks)
