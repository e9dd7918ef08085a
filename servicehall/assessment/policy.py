"""Who may do what in assessment (core.policy rules; groups from org.roles): the 考核领导小组 runs the month
(opens, computes, publishes for review, records vetoes, answers objections, closes, reopens, exports for
payroll); hall managers and oversight read the scores of their halls; each person reads their own."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import ANY_STAFF, rule
from servicehall.org.roles import ADMINS, HALL_MANAGERS, HALL_STAFF, OVERSIGHT, Role

ASSESSORS = ADMINS | {Role.ASSESSMENT_GROUP}


def _own(user, score) -> bool:
    return getattr(score, "person_id", None) == user.pk


def _own_under_review(user, score) -> bool:
    return _own(user, score) and score.month.status == "review"


rule("assessment.be_assessed", label=_("参加月度考核"), roles=HALL_STAFF)
rule("assessment.my_scores", label=_("我的考核"), roles={ANY_STAFF})
rule("assessment.read", label=_("查看考核月"), roles=OVERSIGHT | HALL_MANAGERS)
rule("assessment.view_score", label=_("查看考核得分"), roles=OVERSIGHT | HALL_MANAGERS, also=_own)
rule("assessment.manage", label=_("计算与复核考核月"), roles=ASSESSORS)
rule("assessment.close", label=_("关闭考核月"), roles=ASSESSORS)
rule("assessment.reopen", label=_("重开考核月"), roles=ASSESSORS)
rule("assessment.export", label=_("导出薪酬考核表"), roles=ASSESSORS)
rule("assessment.object", label=_("提出考核异议"), roles=(), also=_own, when=_own_under_review,
     when_refusal=_("只能在复核期内对本人的得分提出异议。"))
rule("assessment.suspend", label=_("安排待岗与解除"), roles=ASSESSORS)
