from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkordersConfig(AppConfig):
    name = "servicehall.workorders"
    label = "workorders"
    verbose_name = _("工单跟踪与首问负责")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; navigation, home panels, the counter hand-off, demo data)
