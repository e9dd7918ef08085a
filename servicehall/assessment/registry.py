"""What the assessment app adds to the shell: navigation, the home panel of a person's latest score, demo data."""
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from servicehall.core import hooks, registry

from .demo import seed_assessment
from .selectors import my_scores, open_suspension

registry.nav("assessment", _("月度考核"), "assessment:months", action="assessment.read", order=60, icon="award", group="people")
registry.nav("assessment_weights", _("考核权重"), "assessment:weights", action="assessment.manage", order=62, group="people")
registry.nav("my_assessment", _("我的考核"), "assessment:mine", action="assessment.be_assessed", order=61, group="people")


@hooks.on("queue.sign_on")
def refuse_suspended(*, person, counter, now):
    """The 待岗 gate: queueing asks before a person signs on to a counter; a suspended person is refused, with why."""
    suspension = open_suspension(person.pk)
    return suspension.refusal if suspension else None


@registry.panel("my_assessment", action="assessment.be_assessed", order=60)
def my_score_panel(request):
    latest = my_scores(request.user).first()
    if latest is None:
        return None
    return render_to_string("assessment/_panel_mine.html", {"s": latest}, request=request)


@registry.demo_seeder("assessment", after=("org", "queueing", "cases", "inspections", "onsite", "video", "training"))
def seed(ctx):
    seed_assessment(ctx)
