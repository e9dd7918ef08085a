"""The register pages: refusals answer with a message (never a 500), typed text is escaped in pages and quoted
in the Excel export, the hall leader's page and home flag what is missing, GETs change nothing."""
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from servicehall.core.testing import english
from servicehall.registers import services
from servicehall.registers.models import AccessRequest, CashBoxEntry

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_pages_refuse_bad_input_with_a_message(client, org):
    client.force_login(org.user("teller_a"))
    assert "请填写终端或钱箱名称" in client.post(reverse("registers:cashbox"), {"box": " "}).content.decode()
    bad = client.post(reverse("registers:cashbox"), {"box": "1号", "amount": "1e9999"})
    assert bad.status_code == 400 and "金额请填写" in bad.content.decode()
    assert client.get(reverse("registers:cashbox"), {"day": "2026-13-40"}).status_code == 400
    assert client.get(reverse("registers:cashbox"), {"day": "1900-01-01"}).status_code == 400
    refused = client.post(reverse("registers:access"), {"area": "fee_area", "reason": ""})
    assert refused.status_code == 400 and "请填写事由" in refused.content.decode()
    empty = client.post(reverse("registers:environment"), {"kind": "cleaning"})
    assert empty.status_code == 400 and "请至少勾选一项" in empty.content.decode()
    assert not CashBoxEntry.objects.exists() and not AccessRequest.objects.exists()


def test_r_e3_pages_decide_only_for_the_hall_leader_and_escape_the_reason(client, org):
    client.force_login(org.user("guide_a"))
    assert client.post(reverse("registers:access"), {"area": "cash_box", "reason": "<script>alert(1)</script>"}).status_code == 302
    req = AccessRequest.objects.get()
    for who in ("supervisor_a", "guide_a"):
        client.force_login(org.user(who))
        assert client.post(reverse("registers:approve", args=[req.pk])).status_code == 403
    client.force_login(org.user("leader_a"))
    page = client.get(reverse("registers:access")).content.decode()
    assert "&lt;script&gt;alert(1)" in page and "<script>alert(1)" not in page
    assert f'data-testid="approve-{req.pk}"' in page
    assert client.post(reverse("registers:approve", args=[req.pk])).status_code == 302
    req.refresh_from_db()
    assert req.status == "approved" and req.decided_by == org.user("leader_a")


def test_r_e3_the_export_is_the_days_registers_with_typed_text_kept_as_text(client, org):
    teller = org.user("teller_a")
    services.open_cashbox(hall=org.hall_a, box="=HYPERLINK(\"http://x\")", amount="12.30", note="@SUM(A1)", by=teller, now=NOW)
    req = services.request_access(hall=org.hall_a, area="fee_area", reason="+1 送票据", by=org.user("guide_a"), now=NOW)
    services.approve(request=req, by=org.user("leader_a"), now=NOW + dt.timedelta(minutes=1))
    client.force_login(teller)
    assert client.get(reverse("registers:cashbox_export")).status_code == 403  # the leader's list, not the cashier's
    client.force_login(org.user("leader_a"))
    response = client.get(reverse("registers:cashbox_export"), {"day": "2026-03-10"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    wb = load_workbook(io.BytesIO(response.content))
    box_row = [c.value for c in wb.worksheets[0][2]]
    assert box_row[0] == "'=HYPERLINK(\"http://x\")" and box_row[1] == 12.3 and box_row[6] == "'@SUM(A1)"
    assert box_row[2] == "teller_a" and box_row[3] == "2026-03-10 10:00"
    access_row = [c.value for c in wb.worksheets[1][2]]
    assert access_row[1] == "'+1 送票据" and access_row[3] == "guide_a" and access_row[5] == "leader_a"
    assert access_row[6] == "2026-03-10 10:01"


def test_r_s3_the_leaders_month_page_and_home_flag_missing_days(client, org):
    services.record_environment(hall=org.hall_a, kind="cleaning", items=["floor"], by=org.user("guide_a"),
                                now=NOW - dt.timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        client.force_login(org.user("leader_a"))
        page = client.get(reverse("registers:environment_month")).content.decode()
        home = client.get("/").content.decode()
        index = client.get(reverse("registers:index")).content.decode()
        client.force_login(org.user("guide_a"))
        guide_index = client.get(reverse("registers:index")).content.decode()
    assert 'data-testid="day-2026-03-08" data-state="missing"' in page
    assert 'data-testid="day-2026-03-09" data-state="recorded"' in page
    assert 'data-testid="day-2026-03-10" data-state="pending"' in page
    assert "1 / 9" in page or "11.1" in page  # one of the nine days that ended recorded
    assert 'data-testid="panel-registers"' in home and 'data-testid="flag-missing-days"' in home
    assert 'data-testid="flag-missing-days"' in index
    assert 'data-testid="register-flags"' not in guide_index  # flags are the leader's


def test_the_register_pages_answer_in_english(client, org):
    english(client, org.user("guide_a"))
    html = client.get(reverse("registers:access")).content.decode()
    assert "Ask the hall leader" in html and "请班长审批" not in html
    refused = client.post(reverse("registers:access"), {"area": "fee_area", "reason": ""}).content.decode()
    assert "Please give the reason." in refused


def test_the_leaders_lists_cost_the_same_statements_for_many_rows(client, org):
    """NetBox habit: a list page's statement count does not grow with its rows (no query per request or entry)."""
    def counts():
        client.force_login(org.user("leader_a"))
        out = []
        for name in ("registers:access", "registers:cashbox", "registers:index"):
            client.get(reverse(name))  # warm: the per-process caches (calendar, people) fill on a first request
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse(name)).status_code == 200
            out.append(len(ctx))
        return out

    def add(n):
        for i in range(n):
            services.request_access(hall=org.hall_a, area="fee_area", reason=f"事由{i}", by=org.user("guide_a"))
            services.open_cashbox(hall=org.hall_a, box=f"{i}号-{AccessRequest.objects.count()}", by=org.user("teller_a"))

    add(2)
    few = counts()
    add(8)
    assert counts() == few


def test_r_e3_a_box_left_open_is_flagged_on_the_cashbox_page_and_closed_from_there(client, org):
    entry = services.open_cashbox(hall=org.hall_a, box="1号", by=org.user("teller_a"), now=NOW - dt.timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        client.force_login(org.user("teller_a"))
        page = client.get(reverse("registers:cashbox")).content.decode()
        assert f'data-testid="left-open-close-{entry.pk}"' in page
        assert client.post(reverse("registers:cashbox_close", args=[entry.pk])).status_code == 302
        assert client.post(reverse("registers:cashbox_close", args=[entry.pk])).status_code == 409  # closed once only
        assert 'data-testid="left-open"' not in client.get(reverse("registers:cashbox")).content.decode()
    entry.refresh_from_db()
    assert entry.closed_by == org.user("teller_a")
