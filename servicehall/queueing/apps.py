from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "servicehall.queueing"
    label = "queueing"
    verbose_name = _("叫号排队")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the queue's actions; navigation, home panels, demo data)
