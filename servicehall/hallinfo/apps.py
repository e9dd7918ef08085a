from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallinfoConfig(AppConfig):
    name = "servicehall.hallinfo"
    label = "hallinfo"
    verbose_name = _("自助服务与厅堂宣传")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; navigation, home panel, sweeps, patrol note)
