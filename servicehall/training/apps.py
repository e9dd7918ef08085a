from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "servicehall.training"
    label = "training"
    verbose_name = _("培训")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; navigation, demo data)
