"""Who may do what with training (core.policy rules; groups from org.roles): a hall's managers and the service
supervisor plan trainings and enter their attendance and results (the trainer's record); someone above the hall
who did not enter it approves the 学时; exam results are entered by the same people and the assessment group."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import rule
from servicehall.org.roles import HALL_OPERATIONS, HALL_STAFF, OVERSIGHT, STAFF, Role


def _not_own_entry(user, training) -> bool:
    """学时 are approved by a second person, never by the one who entered them."""
    return getattr(training, "submitted_by_id", None) != user.pk


rule("training.read", label=_("查看培训"), roles=STAFF)
rule("training.be_trained", label=_("参加培训"), roles=HALL_STAFF)
rule("training.enter", label=_("录入培训"), roles=HALL_OPERATIONS)
rule("training.approve", label=_("审核培训学时"), roles=OVERSIGHT, when=_not_own_entry,
     when_refusal=_("培训学时须由录入人以外的人员审核。"))
rule("training.compliance", label=_("培训达标情况"), roles=HALL_OPERATIONS | OVERSIGHT)
# 待岗 for required training not passed: decided over the hall, by who oversees it (not the hall's own leader)
rule("training.enforce", label=_("安排未完成必修培训人员待岗"), roles=OVERSIGHT)
rule("training.record_exam", label=_("录入考试成绩"), roles=HALL_OPERATIONS | {Role.ASSESSMENT_GROUP})
