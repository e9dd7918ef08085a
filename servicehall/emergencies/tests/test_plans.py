"""R-E4: each type has a response plan with its first-action checklist; an administrator's edit in the admin
publishes a new version (audited) and an incident keeps the version it was raised with."""
import pytest
from django.urls import reverse

from servicehall.core.models import AuditEntry
from servicehall.emergencies import services
from servicehall.emergencies.models import IncidentType, ResponsePlan

pytestmark = pytest.mark.django_db


def test_r_e1_the_seven_incident_types_ship_with_a_first_plan(types):
    assert set(types) == {"queue_surge", "group_visit", "equipment_failure", "customer_fainting", "drunk_customer",
                          "emotional_outburst", "public_opinion"}
    for t in types.values():
        plan = ResponsePlan.objects.get(incident_type=t)
        assert plan.version == 1 and plan.first_actions and plan.guide


def test_r_e4_an_admin_edit_is_a_new_version_and_a_running_incident_keeps_its_own(client, network, types):
    fainting = types["customer_fainting"]
    before = services.raise_incident(hall=network.hall_a, incident_type=fainting, by=network.user("teller_a"))
    v1 = ResponsePlan.objects.get(incident_type=fainting)
    client.force_login(network.user("admin"))
    url = reverse("admin:emergencies_responseplan_change", args=[v1.pk])
    response = client.post(url, {"incident_type": fainting.pk, "title": "客户晕厥应急预案（修订）", "guide": "先救人",
                                 "first_actions": "拨打120\n\n疏散围观人员\n"})
    assert response.status_code == 302, response.content.decode()[:2000]
    v1.refresh_from_db()
    assert v1.version == 1 and v1.title == "客户晕厥应急预案" and "说明地址" in v1.first_actions[0], "version 1 is untouched"
    v2 = ResponsePlan.objects.get(incident_type=fainting, version=2)
    assert v2.first_actions == ["拨打120", "疏散围观人员"] and v2.created_by == network.user("admin")
    assert AuditEntry.objects.filter(object_type="emergencies.responseplan", object_id=str(v2.pk)).exists()
    after = services.raise_incident(hall=network.hall_a, incident_type=fainting, by=network.user("teller_a"))
    before.refresh_from_db()
    assert before.plan == v1 and after.plan == v2
    client.force_login(network.user("teller_a"))
    html = client.get(reverse("emergencies:incident", args=[before.pk])).content.decode()
    assert "说明地址和症状" in html and "第 1 版" in html


def test_r_e4_an_empty_checklist_is_refused_in_chinese(client, network, types):
    client.force_login(network.user("admin"))
    response = client.post(reverse("admin:emergencies_responseplan_add"), {"incident_type": types["drunk_customer"].pk,
                                                                          "title": "t", "first_actions": " \n "})
    assert response.status_code == 200 and "这个字段是必填项。" in response.content.decode()
    assert not IncidentType.objects.filter(plans__version=2).exists()
