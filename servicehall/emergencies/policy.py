"""Who may do what with incidents (core.policy rules; groups from org.roles)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import rule
from servicehall.org.roles import HALL_MANAGERS, HALL_OPERATIONS, STAFF


def on_current_level(user, incident) -> bool:
    """分级负责: the level now answering for the incident acknowledges or hands it up — the people copied onto
    its ladder at that level when it opened, nobody else (not even an administrator)."""
    return incident.ladder.filter(level=incident.level, person_id=user.pk).exists()


rule("emergencies.read", label=_("查看应急事件"), roles=STAFF)
# Any member of the hall's staff raises an incident from their phone (R-E2: staff report to the hall leader).
rule("emergencies.raise", label=_("上报应急事件"), roles=STAFF)
rule("emergencies.acknowledge", label=_("确认接报"), roles=STAFF, when=on_current_level,
     when_refusal=_("只有本事件当前层级的联络人可以确认接报。"))
rule("emergencies.escalate", label=_("向上一级上报"), roles=STAFF, when=on_current_level,
     when_refusal=_("只有本事件当前层级的联络人可以向上一级上报。"))
# The hall leader (and the station head over the hall) or the supervisor closes it with the closure record.
rule("emergencies.close", label=_("关闭事件"), roles=HALL_OPERATIONS)
# The home panel of open incidents, for who runs and supervises the halls.
rule("emergencies.follow", label=_("跟进应急事件"), roles=HALL_OPERATIONS)
# Whoever is in the hall handling it ticks the plan's first actions as they are done (R-E4).
rule("emergencies.act", label=_("勾选处置步骤"), roles=STAFF)
# The hall's own level of the contact network is kept current by who runs the hall; the region's emergency
# group and the company's leadership are units above a hall, kept by administrators in the admin.
rule("emergencies.network", label=_("维护应急联络网络"), roles=HALL_MANAGERS)
