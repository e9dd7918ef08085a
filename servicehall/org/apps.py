from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "servicehall.org"
    label = "org"
    verbose_name = _("组织与人员")

    def ready(self):
        from servicehall.core import policy

        from . import calendars, devices, registry, tenancy  # noqa: F401  (process caches dropped on writes; navigation, panels, demo data)
        from . import policy as rules  # noqa: F401  (the organisation's actions)
        from .roles import Role
        from .tenancy import hall_id_of, hall_ids_for_actor

        policy.configure(hall_ids=hall_ids_for_actor, hall_of=hall_id_of, superuser_roles={Role.ADMIN})
