from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WaitsConfig(AppConfig):
    name = "servicehall.waits"
    label = "waits"
    verbose_name = _("等候预测与提醒")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; hooks, sweeps, navigation)
