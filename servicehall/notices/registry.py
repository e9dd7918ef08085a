"""What the notices app adds to the shell: its page in the navigation, and its delivery sweep."""
from django.utils.translation import gettext_lazy as _

from servicehall.core import registry

from . import services  # noqa: F401  (registers the notices.deliver sweep)

registry.nav("notices", _("通知记录"), "notices:notice_list", action="notices.list", order=60, group="service")
