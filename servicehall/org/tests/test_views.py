"""Hall pages: the list and detail of halls in scope, with today's hours, counters and staff."""
import datetime as dt

import time_machine
from django.urls import reverse

from servicehall.core.testing import device_token, make_user
from servicehall.org.models import SpecialDay

# A Monday, 10:00 in Shanghai
MONDAY_10 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)


@time_machine.travel(MONDAY_10, tick=False)
def test_hall_list_shows_today_hours_open_state_and_counts(client, org):
    client.force_login(org.user("supervisor_all"))
    page = client.get(reverse("org:hall_list")).content.decode()
    assert "ha营业厅" in page and "hb营业厅" in page
    assert "08:30–17:30" in page and "营业中" in page


@time_machine.travel(MONDAY_10, tick=False)
def test_a_holiday_shows_as_closed_with_its_name(client, org):
    SpecialDay.objects.create(company=org.company, date=dt.date(2026, 11, 30), name="调休", closed=True)
    client.force_login(org.user("teller_a"))
    page = client.get(reverse("org:hall_list")).content.decode()
    assert "调休" in page and "非营业时间" in page


def test_hall_list_only_lists_halls_in_scope(client, org):
    client.force_login(org.user("teller_a"))
    page = client.get(reverse("org:hall_list")).content.decode()
    assert "ha营业厅" in page and "hb营业厅" not in page


def test_hall_list_query_count_does_not_grow_with_halls(client, org, django_assert_max_num_queries):
    client.force_login(org.user("admin"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("org:hall_list")).status_code == 200


def test_hall_detail_shows_week_counters_staff_and_upcoming_holidays(client, org):
    SpecialDay.objects.create(company=org.company, hall=org.hall_a, date=dt.date.today() + dt.timedelta(days=3), name="设备检修")
    client.force_login(org.user("leader_a"))
    page = client.get(reverse("org:hall_detail", args=[org.hall_a.pk])).content.decode()
    assert "周一" in page and "周日" in page
    assert "设备检修" in page
    assert "1号窗口" in page and "A 用电业务" in page
    assert "teller_a" in page and "营业厅班长" in page
    assert "teller_b" not in page


def test_hall_detail_of_an_unknown_or_other_hall_is_404(client, org):
    client.force_login(org.user("leader_a"))
    assert client.get(reverse("org:hall_detail", args=[org.hall_b.pk])).status_code == 404
    assert client.get(reverse("org:hall_detail", args=[987654])).status_code == 404


def test_home_panels_of_a_hall_leader_show_their_hall(client, org):
    client.force_login(org.user("leader_a"))
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="panel-me"' in page and 'data-testid="panel-halls"' in page
    assert "本营业厅" in page and "ha营业厅" in page


def test_a_user_without_halls_gets_no_hall_panel(client, org):
    lonely = make_user("lonely", ["teller"])
    client.force_login(lonely)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="panel-halls"' not in page


def test_an_administrator_home_shows_the_organisation_and_silent_devices(client, org):
    device_token(org.hall_b, "board", name="乙厅大屏")
    client.force_login(org.user("admin"))
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="panel-organisation"' in page
    assert "乙厅大屏" in page and "从未连接" in page


def test_hall_staff_do_not_get_the_organisation_panel(client, org):
    client.force_login(org.user("leader_a"))
    assert 'data-testid="panel-organisation"' not in client.get(reverse("home")).content.decode()
