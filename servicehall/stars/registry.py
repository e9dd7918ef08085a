"""What star service adds to the shell: navigation and demo data."""
from django.utils.translation import gettext_lazy as _

from servicehall.core import registry

from .demo import seed_stars

registry.nav("stars", _("星级服务"), "stars:hall", action="stars.read", order=63, icon="star", group="people")
registry.nav("stars_formula", _("星级公式"), "stars:formula", action="stars.formula", order=64, group="people")
registry.nav("my_stars", _("我的星级"), "stars:mine", action="stars.mine", order=65, group="people")
registry.nav("star_notice", _("星级服务公示"), "stars:notice", action="stars.notice", order=66, group="people")


@registry.demo_seeder("stars", after=("org", "queueing"))
def seed(ctx):
    seed_stars(ctx)
