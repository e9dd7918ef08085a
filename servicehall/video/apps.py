from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    name = "servicehall.video"
    label = "video"
    verbose_name = _("视频监控")

    def ready(self):
        from . import registry  # noqa: F401  (navigation, home panels, span kinds, demo data)
