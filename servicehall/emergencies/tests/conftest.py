"""Fixtures of the emergencies tests: the shipped types and plans (again after a transactional test flushed
them), and a contact network for hall A with phones on every level."""
import pytest
from django.db import connection

from servicehall.core.testing import make_user
from servicehall.emergencies import defaults
from servicehall.emergencies.models import Contact, IncidentType, Level, ResponsePlan


def install_types():
    defaults.install(IncidentType, ResponsePlan)
    return {t.code: t for t in IncidentType.objects.all()}


def build_network(org):
    """Level 1: hall A's leader (first) and its station head; level 2: region A's group, the 服务专责 first;
    level 3: the company's leadership. Every person has a phone."""
    people = {
        "leader_a": org.user("leader_a"),
        "head_a": make_user("head_a", ["station_head"], halls=[org.hall_a]),
        "supervisor_a": org.user("supervisor_a"),
        "group_a": make_user("group_a", ["assessment_group"], regions=[org.region_a]),
        "boss": make_user("boss", ["assessment_group"], regions=[org.province]),
    }
    for i, person in enumerate(people.values()):
        person.phone = f"1390000{i:04d}"
        person.save(update_fields=["phone"])
    Contact.objects.create(level=Level.HALL, hall=org.hall_a, person=people["head_a"], order=1)
    Contact.objects.create(level=Level.HALL, hall=org.hall_a, person=people["leader_a"], first_contact=True, duty="第一责任人")
    Contact.objects.create(level=Level.REGION, region=org.region_a, person=people["group_a"], order=1)
    Contact.objects.create(level=Level.REGION, region=org.region_a, person=people["supervisor_a"], first_contact=True, duty="服务专责")
    Contact.objects.create(level=Level.LEADERSHIP, company=org.company, person=people["boss"], first_contact=True)
    org.users.update(people)
    return people


@pytest.fixture
def types(db):
    return install_types()


@pytest.fixture
def network(org, types):
    build_network(org)
    return org


@pytest.fixture
def pg(tx_org):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and claims race only on PostgreSQL")
    install_types()
    build_network(tx_org)
    return tx_org
