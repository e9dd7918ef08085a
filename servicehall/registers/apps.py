from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "servicehall.registers"
    label = "registers"
    verbose_name = _("安全与环境登记")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; navigation, home panel, demo data)
