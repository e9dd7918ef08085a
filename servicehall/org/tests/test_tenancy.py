import pytest
from django.urls import reverse

from servicehall.org.models import Hall
from servicehall.org.tenancy import hall_ids_for


def test_hall_staff_see_only_their_hall(org):
    assert hall_ids_for(org.user("teller_a")) == {org.hall_a.pk}


def test_region_supervisor_sees_halls_below_region(org):
    assert hall_ids_for(org.user("supervisor_a")) == {org.hall_a.pk}
    assert hall_ids_for(org.user("supervisor_all")) == {org.hall_a.pk, org.hall_b.pk}


def test_nested_region_is_covered(org):
    county = org.region_a.children.create(company=org.company, code="cty", name="丙县", level="county")
    hall = Hall.objects.create(region=county, code="hc", name="丙县营业厅", grade="C")
    assert hall.pk in hall_ids_for(type(org.user("supervisor_a")).objects.get(pk=org.user("supervisor_a").pk))


def test_superuser_sees_all(org):
    assert hall_ids_for(org.user("admin")) == set(Hall.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("username", ["teller_a", "leader_a"])
def test_hall_detail_of_another_hall_is_404(client, org, username):
    client.force_login(org.user(username))
    assert client.get(reverse("org:hall_detail", args=[org.hall_a.pk])).status_code == 200
    assert client.get(reverse("org:hall_detail", args=[org.hall_b.pk])).status_code == 404


def test_switching_to_a_hall_out_of_scope_is_404(client, org):
    client.force_login(org.user("teller_a"))
    assert client.post(reverse("switch_hall"), {"hall": org.hall_b.pk}).status_code == 404
    assert client.post(reverse("switch_hall"), {"hall": "x"}).status_code == 404
