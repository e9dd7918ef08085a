"""How the scope walker (core/tests/test_scope_walker.py) reaches on-site records of hall B."""
from servicehall.core.testing import Probe
from servicehall.onsite import services


def _meeting(org):
    meeting = services.open_meeting(hall=org.hall_b, kind="morning", by=org.user("leader_b"))
    return meeting, meeting.attendance.first()


def _handover(org):
    return services.hand_over(hall=org.hall_b, received_by=org.user("leader_b"), by=org.user("teller_b"), matters="探针")


PROBES = {
    "onsite:meeting": Probe(kwargs=lambda org: {"meeting_id": _meeting(org)[0].pk}),
    "onsite:meeting_attendance": Probe(
        kwargs=lambda org: (lambda m: {"meeting_id": m[0].pk, "attendance_id": m[1].pk})(_meeting(org)), method="post", user="leader_a",
        data=lambda org: {"status": "late"},
    ),
    "onsite:meeting_study": Probe(kwargs=lambda org: {"meeting_id": _meeting(org)[0].pk}, method="post"),
    "onsite:meeting_refresh": Probe(kwargs=lambda org: {"meeting_id": _meeting(org)[0].pk}, method="post", user="leader_a"),
    "onsite:meeting_finish": Probe(kwargs=lambda org: {"meeting_id": _meeting(org)[0].pk}, method="post", user="leader_a",
                                   data=lambda org: {"tasks": "探针"}),
    "onsite:handover_accept": Probe(kwargs=lambda org: {"handover_id": _handover(org).pk}, method="post"),
}
EXEMPT: dict = {}
