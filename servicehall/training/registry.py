"""What the training app adds to the shell: navigation and demo data."""
from django.utils.translation import gettext_lazy as _

from servicehall.core import registry

registry.nav("training", _("培训管理"), "training:trainings", action="training.read", order=64, group="training")
registry.nav("training_compliance", _("培训达标"), "training:compliance", action="training.compliance", order=65, group="training")
registry.nav("training_exams", _("考试与认证"), "training:exams", action="training.record_exam", order=66, group="training")
registry.nav("my_training", _("我的培训"), "training:mine", action="training.be_trained", order=67, group="training")


@registry.demo_seeder("training", after=("org", "standards"))
def seed(ctx):
    from .demo import seed_training

    seed_training(ctx)
