from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "servicehall.catalogue"
    label = "catalogue"
    verbose_name = _("业务目录")

    def ready(self):
        from . import policy, registry  # noqa: F401  (the catalogue's actions; navigation, home panels, demo data)
