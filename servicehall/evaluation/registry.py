"""What the evaluation app adds to the shell: navigation and demo data."""
from django.utils.translation import gettext_lazy as _

from servicehall.core import registry

from .demo import seed_evaluation

registry.nav("evaluation", _("三方评价"), "evaluation:index", action="evaluation.read", order=66, icon="users", group="people")
registry.nav("evaluation_weights", _("三方评价权重"), "evaluation:weights", action="evaluation.weights", order=68, group="people")


@registry.demo_seeder("evaluation", after=("org", "queueing", "cases", "inspections"))
def seed(ctx):
    seed_evaluation(ctx)
