"""R-P1 / R-C2: a case's phone number is masked everywhere; its owner reveals it for the telephone revisit through
one audited POST, and nobody else (not another manager, not an administrator, not out of the revisit step)."""
import pytest
from django.urls import reverse

from servicehall.cases import services
from servicehall.core.models import AuditEntry

from .conftest import new_case

PHONE = "13912345678"


def to_revisit(org, *, owner="teller_a"):
    leader = org.user("leader_a")
    case = new_case(org, customer_name="王先生", customer_phone=PHONE)
    case = services.accept_case(case=case, by=leader, owner=org.user(owner))
    case = services.save_handling(
        case=case, by=leader, handling_soothe="安抚", handling_info="核对户号", customer_type="rational",
        handling_communication="说明规则", handling_facts="核实电费", handling_resolution="差额退回",
    )
    case = services.finish_handling(case=case, by=leader)
    case = services.give_feedback(case=case, by=leader, method="phone", content="已告知")
    assert case.status == "revisit"
    return case


@pytest.mark.django_db
def test_r_p1_the_owner_reveals_the_number_for_the_revisit_by_post_and_it_is_audited(client, corg, clock):
    case = to_revisit(corg, owner="leader_a")
    client.force_login(corg.user("leader_a"))
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert PHONE not in page and "139****5678" in page and 'data-testid="reveal-phone"' in page

    response = client.post(reverse("cases:reveal_phone", args=[case.pk]))
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    row = AuditEntry.objects.get(action="privacy.reveal_phone", object_id=str(case.pk))
    assert row.actor == corg.user("leader_a") and row.object_type == "cases.case"
    assert row.after["purpose"] == "电话回访" and PHONE not in str(row.after)

    assert PHONE not in client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()  # a GET still masks


@pytest.mark.django_db
def test_r_p1_a_get_never_reveals_the_number(client, corg, clock):
    case = to_revisit(corg, owner="leader_a")
    client.force_login(corg.user("leader_a"))
    assert client.get(reverse("cases:reveal_phone", args=[case.pk])).status_code == 405
    assert not AuditEntry.objects.filter(action="privacy.reveal_phone").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader_a", "admin", "supervisor_a"])
def test_r_p1_whoever_does_not_own_the_revisit_is_refused(client, corg, clock, who):
    case = to_revisit(corg, owner="teller_a")
    client.force_login(corg.user(who))
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert PHONE not in page and 'data-testid="reveal-phone"' not in page
    response = client.post(reverse("cases:reveal_phone", args=[case.pk]))
    assert response.status_code == 403 and PHONE not in response.content.decode()
    assert not AuditEntry.objects.filter(action="privacy.reveal_phone").exists()


@pytest.mark.django_db
def test_r_p1_the_owner_outside_the_revisit_step_is_refused(client, corg, clock):
    case = services.accept_case(case=new_case(corg, customer_phone=PHONE), by=corg.user("leader_a"), owner=corg.user("leader_a"))
    client.force_login(corg.user("leader_a"))
    assert client.post(reverse("cases:reveal_phone", args=[case.pk])).status_code == 403


@pytest.mark.django_db
def test_r_p1_out_of_scope_is_not_found(client, corg, clock):
    case = to_revisit(corg, owner="leader_a")
    client.force_login(corg.user("leader_b"))
    assert client.post(reverse("cases:reveal_phone", args=[case.pk])).status_code == 404
