"""How the scope walker reaches self-service and publicity objects of hall B."""
from servicehall.core.testing import Probe


def _material_b(org):
    import datetime as dt

    from django.utils import timezone

    from servicehall.hallinfo.models import PublicityMaterial

    now = timezone.now()
    material = PublicityMaterial.objects.create(hall=org.hall_b, kind="news", title="乙厅公告", body="内容", starts_at=now,
                                                expires_at=now + dt.timedelta(days=1), created_at=now)
    return {"material_id": material.pk}


PROBES: dict = {
    "hallinfo:withdraw": Probe(kwargs=_material_b, user="leader_a", method="post"),
}
EXEMPT: dict = {}
