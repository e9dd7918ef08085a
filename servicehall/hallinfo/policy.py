"""Who may do what with self-service terminals and publicity (core.policy rules; groups from org.roles)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import rule
from servicehall.org.models import Device
from servicehall.org.roles import HALL_OPERATIONS

# A self-service terminal reports that it is alive (and its faults) itself.
rule("hallinfo.heartbeat", label=_("发送心跳"), devices={Device.Kind.SELF_SERVICE}, refusal=_("只有自助终端可以发送心跳。"))
rule("hallinfo.overview", label=_("查看自助与宣传"), roles=HALL_OPERATIONS)
rule("hallinfo.publish", label=_("发布或撤下宣传材料"), roles=HALL_OPERATIONS,
     refusal=_("只有营业厅班长或上级可以发布或撤下宣传材料。"))
