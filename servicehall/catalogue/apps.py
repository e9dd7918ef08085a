from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "servicehall.catalogue"
    label = "catalogue"
    verbose_name = _("业务目录")

    def ready(self):
        from . import registry  # noqa: F401  (navigation, home panels, demo data)
