"""How the scope walker (core/tests/test_scope_walker.py) reaches an incident of hall B: a hall leader of
hall A (who may acknowledge, escalate and close in their own hall) gets 404 for every route."""
from servicehall.core.testing import Probe
from servicehall.emergencies import defaults, services
from servicehall.emergencies.models import Contact, IncidentType, Level, ResponsePlan


def _incident_b(org):
    defaults.install(IncidentType, ResponsePlan)  # again after a transactional test flushed the migration's rows
    incident = services.raise_incident(hall=org.hall_b, incident_type=IncidentType.objects.get(code="group_visit"),
                                       by=org.user("teller_b"), detail="探针")
    return {"incident_id": incident.pk}


def _contact_b(org):
    contact, _ = Contact.objects.get_or_create(level=Level.HALL, hall=org.hall_b, person=org.user("leader_b"))
    return {"contact_id": contact.pk}


PROBES = {
    "emergencies:incident": Probe(_incident_b, user="leader_a"),
    "emergencies:acknowledge": Probe(_incident_b, user="leader_a", method="post"),
    "emergencies:escalate": Probe(_incident_b, user="leader_a", method="post"),
    "emergencies:close": Probe(_incident_b, user="leader_a", method="post", data=lambda org: {"summary": "探针"}),
    "emergencies:complete_action": Probe(lambda org: {**_incident_b(org), "index": 0}, user="teller_a", method="post"),
    "emergencies:remove_contact": Probe(_contact_b, user="leader_a", method="post"),
}
EXEMPT: dict = {}
