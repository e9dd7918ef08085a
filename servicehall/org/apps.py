from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "servicehall.org"
    label = "org"
    verbose_name = _("组织与人员")

    def ready(self):
        from . import calendars, devices, registry, tenancy  # noqa: F401  (process caches dropped on writes; navigation, panels, demo data)
