from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "servicehall.notices"
    label = "notices"
    verbose_name = _("短信与邮件通知")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; navigation, the delivery sweep)
