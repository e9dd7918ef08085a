from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "servicehall.recognition"
    label = "recognition"
    verbose_name = _("评优与班务公开")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; navigation, demo data)
