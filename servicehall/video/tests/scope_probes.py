"""Scope probes of the video pages and API (see core/tests/test_scope_walker.py): each names an object
of hall B that a hall leader (or a supervisor) of hall A must get 404 for."""
from django.utils import timezone

from servicehall.core.testing import Probe

from . import fixtures


def _hall_b(org):
    service = fixtures.served(org, hall="b")
    cams = fixtures.cameras(org.hall_b, org.counters_b[0])
    clip = fixtures.clip(cams["staff"], service.started_at)
    return service, clip


def span_b(org):
    return {"kind": "service", "pk": _hall_b(org)[0].pk}


def clip_b(org):
    return {"clip_id": _hall_b(org)[1].pk}


def finding_b(org):
    _service, clip = _hall_b(org)
    fixtures.consent(org, org.hall_b, "teller_b")
    return {"finding_id": fixtures.finding(clip, person=org.user("teller_b")).pk}


def consent_b(org):
    from servicehall.video.models import Consent

    c, _ = Consent.objects.get_or_create(hall=org.hall_b, person=org.user("teller_b"), withdrawn_at=None, defaults={"informed_at": timezone.now()})
    return {"consent_id": c.pk}


PROBES = {
    "video:span": Probe(span_b, user="leader_a"),
    "video:clip_file": Probe(clip_b, user="leader_a"),
    "video:finding": Probe(finding_b, user="leader_a"),
    "video:finding_frame": Probe(finding_b, user="leader_a"),
    "video:review": Probe(finding_b, user="supervisor_a", method="post", data=lambda org: {"decision": "reject", "note": "误检"}),
    "video:consent_withdraw": Probe(consent_b, user="leader_a", method="post"),
    "video_span": Probe(lambda org: {"kind": "service", "record_id": _hall_b(org)[0].pk}, user="leader_a"),
    "video_findings": Probe(lambda org: {"hall_id": org.hall_b.pk}, user="leader_a"),
    "video_review": Probe(lambda org: {"finding_id": finding_b(org)["finding_id"]}, user="supervisor_a", method="post",
                          data=lambda org: {"decision": "reject", "note": "误检"}),
}
EXEMPT: dict = {}
