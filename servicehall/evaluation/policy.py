"""Who may do what in the three-party evaluation (core.policy rules; groups from org.roles): oversight and hall
managers read their halls' evaluation; the quality staff import third-party surveys; oversight exports;
administrators set the parties' weights."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import rule
from servicehall.org.roles import ADMINS, HALL_MANAGERS, OVERSIGHT, QUALITY

rule("evaluation.read", label=_("查看三方评价"), roles=OVERSIGHT | HALL_MANAGERS)
rule("evaluation.import_surveys", label=_("导入第三方调查结果"), roles=QUALITY)
rule("evaluation.export", label=_("导出三方评价"), roles=OVERSIGHT)
rule("evaluation.weights", label=_("设置三方评价权重"), roles=ADMINS)
