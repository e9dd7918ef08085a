"""The etiquette rules of R-V2 on landmark tracks (pure Python, no Django, no detector).

`evaluate(track, context, checks)` runs the rules a camera is set up for and returns findings with
their times and the measurements that support them. A rule reports only what it saw: when the
staff member's face or pose is not visible long enough, it reports nothing rather than a breach.
"""
from .base import Params, RuleContext, RuleFinding
from .etiquette import ABSENCE, BOW, CHECKS, GREETING, PHONE, evaluate

__all__ = ["ABSENCE", "BOW", "CHECKS", "GREETING", "PHONE", "Params", "RuleContext", "RuleFinding", "evaluate"]
