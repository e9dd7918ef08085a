"""What the recognition app adds to the shell: navigation (the team board and the ballots) and demo data."""
from django.utils.translation import gettext_lazy as _

from servicehall.core import registry

from .demo import seed_recognition

registry.nav("recognition", _("班务公开"), "recognition:index", action="recognition.board", order=64, icon="star", group="people")
registry.nav("star_halls", _("星级营业厅"), "recognition:star_halls", action="recognition.star_halls", order=65, group="people")


@registry.demo_seeder("recognition", after=("org", "onsite", "assessment"))
def seed(ctx):
    seed_recognition(ctx)
