from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    name = "servicehall.video"
    label = "video"
    verbose_name = _("视频监控")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the app's actions; navigation, home panels, span kinds, demo data)
