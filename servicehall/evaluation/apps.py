from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "servicehall.evaluation"
    label = "evaluation"
    verbose_name = _("三方评价")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; navigation, demo data)
