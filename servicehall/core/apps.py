from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "servicehall.core"
    label = "core"
    verbose_name = _("公共")

    def ready(self):
        from . import jobs  # noqa: F401  (registers the purge of finished export jobs that run_worker sweeps)
