from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "servicehall.assessment"
    label = "assessment"
    verbose_name = _("考核")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; navigation, home panel, demo data)
