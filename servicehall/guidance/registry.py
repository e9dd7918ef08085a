"""What the guide desk adds to the shell: navigation entries."""
from django.utils.translation import gettext_lazy as _

from servicehall.core import registry

registry.nav("guidance_desk", _("引导台"), "guidance:desk", action="guidance.desk", order=33, icon="directions")
registry.nav("guidance_callbacks", _("预约回拨"), "guidance:callbacks", action="guidance.callbacks", order=34)
registry.nav("guidance_errors", _("引导差错"), "guidance:errors", action="guidance.errors", order=38)
