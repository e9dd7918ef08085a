"""Who may do what with video (core.policy rules; groups from org.roles)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import rule
from servicehall.org.roles import HALL_MANAGERS, OVERSIGHT, Role

# Watching spans and clips, reading findings: those who answer for a hall's service, not the front-line staff filmed.
VIEWERS = OVERSIGHT | {Role.HALL_LEADER}

rule("video.watch", label=_("查看录像"), roles=VIEWERS)
rule("video.findings", label=_("查看视频发现"), roles=VIEWERS)
# Confirming or rejecting a finding: those who may plan a video-check inspection.
rule("video.review", label=_("复核视频发现"), roles=OVERSIGHT)
# Recording that a member of staff was told about the analysis: who runs the hall, and the supervisor.
rule("video.keep_consent", label=_("登记告知记录"), roles=HALL_MANAGERS | {Role.SUPERVISOR})
rule("video.hall", label=_("查看营业厅的摄像头与告知记录"), roles=VIEWERS | HALL_MANAGERS | {Role.SUPERVISOR})
