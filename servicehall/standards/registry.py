"""What the standards app adds to the shell: navigation (the library, opening hours) and demo data (the seeded library)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core import registry

from .services import load_standards

registry.nav("standards", _("服务标准"), "standards:library", action="standards.read", order=45, icon="book")
registry.nav("opening_hours", _("营业时间"), "standards:hours", action="standards.hours", order=46, icon="clock")


@registry.demo_seeder("standards")
def seed(ctx):
    ctx.log("standards", load_standards())
