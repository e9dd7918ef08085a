"""R-E4 first actions ticked on the incident (who, when, once, only while open) and R-E2's contact network kept
current by who runs the hall: the hall's own level edited on its page, the levels above shown, gaps flagged."""
import pytest
from django.urls import reverse

from servicehall.core.errors import Conflict, DomainError, Forbidden, NotFound
from servicehall.core.models import AuditEntry
from servicehall.core.testing import make_user
from servicehall.emergencies import selectors, services
from servicehall.emergencies.models import Contact, Incident, IncidentEvent, Level


@pytest.fixture
def incident(network, types):
    return services.raise_incident(hall=network.hall_a, incident_type=types["customer_fainting"], by=network.user("teller_a"))


@pytest.mark.django_db
def test_r_e4_a_first_action_is_ticked_once_with_who_and_when(network, incident):
    teller, guide = network.user("teller_a"), network.user("guide_a")
    event = services.complete_action(incident=incident, by=teller, index=0)
    assert event.kind == IncidentEvent.Kind.ACTION_DONE and event.by == teller and event.note == incident.plan.first_actions[0]
    with pytest.raises(Conflict):
        services.complete_action(incident=incident, by=guide, index=0)
    services.complete_action(incident=incident, by=guide, index=1)
    rows = selectors.first_actions(incident)
    assert [(i, done.by if done else None) for i, _, done in rows][:3] == [(0, teller), (1, guide), (2, None)]
    assert AuditEntry.objects.filter(action="emergencies.action_done").count() == 2


@pytest.mark.django_db
def test_r_e4_ticking_refuses_a_missing_step_a_closed_incident_and_another_hall(network, incident):
    with pytest.raises(DomainError) as bad:
        services.complete_action(incident=incident, by=network.user("teller_a"), index=len(incident.plan.first_actions))
    assert bad.value.code == "no_such_action"
    with pytest.raises(DomainError):
        services.complete_action(incident=incident, by=network.user("teller_a"), index="x")
    with pytest.raises(NotFound):
        services.complete_action(incident=incident, by=network.user("teller_b"), index=0)
    services.close(incident=incident, by=network.user("leader_a"), summary="客户已送医")
    with pytest.raises(Conflict):
        services.complete_action(incident=Incident.objects.get(pk=incident.pk), by=network.user("teller_a"), index=0)


@pytest.mark.django_db
def test_r_e4_ticking_through_the_page_and_a_race_lost_shows_on_the_page(client, network, incident):
    client.force_login(network.user("teller_a"))
    url = reverse("emergencies:complete_action", args=[incident.pk, 0])
    assert client.get(url).status_code == 405, "no GET changes anything"
    assert client.post(url).status_code == 302
    again = client.post(url)
    assert again.status_code == 409 and "该处置步骤已由他人勾选" in again.content.decode()
    page = client.get(reverse("emergencies:incident", args=[incident.pk])).content.decode()
    assert 'data-testid="action-0" data-state="done"' in page and 'data-testid="tick-1"' in page


@pytest.mark.django_db
def test_r_e2_the_hall_leader_keeps_the_halls_level_of_the_network(client, network):
    leader = network.user("leader_a")
    guide = network.user("guide_a")
    guide.phone = "13900001111"
    guide.save(update_fields=["phone"])
    client.force_login(leader)
    page = client.get(reverse("emergencies:network")).content.decode()
    assert 'data-testid="network-ok"' in page and "服务专责" in page, "the region's group is shown with its 服务专责"
    response = client.post(reverse("emergencies:network"), {"person": guide.pk, "duty": "<b>大堂经理</b>", "first_contact": "on"})
    assert response.status_code == 302
    hall_level = selectors.hall_contacts(network.hall_a)
    assert hall_level[0].person == guide and hall_level[0].first_contact, "the new 第一联系人 comes first"
    assert [c.person for c in hall_level if c.first_contact] == [guide], "one first contact per hall"
    page = client.get(reverse("emergencies:network")).content.decode()
    assert "&lt;b&gt;大堂经理&lt;/b&gt;" in page and "<b>大堂经理" not in page
    twice = client.post(reverse("emergencies:network"), {"person": guide.pk, "duty": ""})
    assert twice.status_code == 409 and "该人员已在联络网络中" in twice.content.decode()
    outsider = client.post(reverse("emergencies:network"), {"person": network.user("teller_b").pk})
    assert outsider.status_code == 400 and "请选择本营业厅的在岗人员" in outsider.content.decode()
    contact = Contact.objects.get(hall=network.hall_a, person=guide)
    assert client.post(reverse("emergencies:remove_contact", args=[contact.pk])).status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert set(AuditEntry.objects.filter(action__startswith="emergencies.contact_").values_list("action", flat=True)) == {
        "emergencies.contact_added", "emergencies.contact_removed"}


@pytest.mark.django_db
def test_r_e2_gaps_show_when_a_level_has_nobody_reachable_and_tellers_only_read(client, network):
    for contact in Contact.objects.filter(level=Level.HALL, hall=network.hall_a):
        contact.person.phone = ""
        contact.person.save(update_fields=["phone"])
    client.force_login(network.user("teller_a"))
    page = client.get(reverse("emergencies:network")).content.decode()
    assert 'data-testid="network-gaps"' in page and 'data-testid="add-contact"' not in page
    assert client.post(reverse("emergencies:network"), {"person": network.user("guide_a").pk}).status_code == 403
    with pytest.raises(Forbidden):
        services.add_contact(hall=network.hall_a, person_id=network.user("guide_a").pk, duty="", first_contact=False,
                             by=network.user("teller_a"))
    with pytest.raises(NotFound):
        services.add_contact(hall=network.hall_b, person_id=network.user("teller_b").pk, duty="", first_contact=False,
                             by=network.user("leader_a"))
    other = make_user("leader_b2", ["hall_leader"], halls=[network.hall_b])
    contact = Contact.objects.filter(level=Level.HALL, hall=network.hall_a).first()
    client.force_login(other)
    assert client.post(reverse("emergencies:remove_contact", args=[contact.pk])).status_code == 404
