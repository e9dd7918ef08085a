"""What the standards app adds to the shell: navigation and demo data (the seeded library)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core import registry

from .services import load_standards

registry.nav("standards", _("服务标准"), "standards:library", action="standards.read", order=45, icon="book")


@registry.demo_seeder("standards")
def seed(ctx):
    ctx.log("standards", load_standards())
