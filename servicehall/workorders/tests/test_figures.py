"""The month-end flow report (R-B4) against a hand-counted fixture: figures, page and Excel say the same.

Hall A (Asia/Shanghai, open 08:30–17:30 every day), March 2026; lv-res-new has four stages (8, 16, 24, 8 h):
  order  teller     accepted        what happens                                          counts in March as
  O1     teller_a   3-02 10:00      four stages done the same day                         accepted, completed on time
  O2     teller_a   3-03 10:00      stage 1 due 3-04 09:00, swept 3-04 10:00 (stalled),   accepted, stalled, completed late
                                    then done on 3-05
  O3     teller_a2  3-04 10:00      terminated 3-05 08:45                                 accepted, terminated
  O4     teller_a   3-10 10:00      联办 with hall C (same city), still open              accepted, joint, open at the end
  O5     teller_a   2-27 10:00      done 3-02 10:30 (accepted in February)                completed on time
  O6     teller_a   3-31 17:00      still open                                            accepted, open at the end
  O7     teller_b   3-03 10:00      hall B, still open                                    hall B: accepted, open at the end
  → hall A: accepted 5, joint 1, completed 3, on time 2 → 2/3 = 66.7 %, terminated 1, stalled 1, open at end 2.
  Enquiries of hall A: E1 guide_a 3-02 solved by guide_a 3-02; E2 teller_a 3-03 handed to leader_a, accepted 3-03,
  solved by leader_a 3-04; E3 guide_a 3-31 open; E4 teller_a 2-28 solved by teller_a 3-01
  → asked 3, solved 3, hand-overs accepted 1.
  Per person: teller_a accepted 4, joint 1, completed 3, on time 2, stalled 1, open 2, asked 1, solved 1;
  teller_a2 accepted 1, terminated 1; guide_a asked 2, solved 1; leader_a solved 1, hand-overs 1.
"""
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from servicehall.core.figures import Period
from servicehall.core.models import AuditEntry
from servicehall.core.testing import make_user
from servicehall.workorders import figures, services

from .conftest import add_same_city_hall

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = Period.month(dt.date(2026, 3, 1))


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def _done(order, by, *moments):
    for moment in moments:
        order = services.advance(order=order, by=by, now=moment)
    return order


@pytest.fixture
def month(org, business):
    u = org.user
    org.users["teller_a2"] = make_user("teller_a2", ["teller"], halls=[org.hall_a])
    hall_c = add_same_city_hall(org)

    def accept(teller, when, hall=None, **kw):
        return services.create_order(hall=hall or org.hall_a, business=business, teller=u(teller), by=u(teller), now=when, **kw)

    o1 = accept("teller_a", at(2026, 3, 2, 10, 0))
    _done(o1, u("teller_a"), at(2026, 3, 2, 11, 0), at(2026, 3, 2, 12, 0), at(2026, 3, 2, 13, 0), at(2026, 3, 2, 14, 0))
    o2 = accept("teller_a", at(2026, 3, 3, 10, 0))
    o3 = accept("teller_a2", at(2026, 3, 4, 10, 0))
    assert services.sweep_stalled(now=at(2026, 3, 4, 10, 0)) == 1
    o2.refresh_from_db()
    _done(o2, u("teller_a"), at(2026, 3, 5, 9, 0), at(2026, 3, 5, 10, 0), at(2026, 3, 5, 11, 0), at(2026, 3, 5, 12, 0))
    services.terminate(order=o3, by=u("teller_a2"), reason="客户撤回", now=at(2026, 3, 5, 8, 45))
    accept("teller_a", at(2026, 3, 10, 10, 0), handling_hall=hall_c)
    o5 = accept("teller_a", at(2026, 2, 27, 10, 0))
    _done(o5, u("teller_a"), at(2026, 2, 27, 10, 30), at(2026, 2, 27, 11, 0), at(2026, 2, 27, 11, 30), at(2026, 3, 2, 10, 30))
    accept("teller_a", at(2026, 3, 31, 17, 0))
    accept("teller_b", at(2026, 3, 3, 10, 0), hall=org.hall_b)

    def ask(by, when, question="咨询"):
        return services.open_enquiry(hall=org.hall_a, by=u(by), channel="guide_desk", question=question, now=when)

    e1 = ask("guide_a", at(2026, 3, 2, 9, 0))
    services.solve_enquiry(enquiry=e1, by=u("guide_a"), answer="已答复", now=at(2026, 3, 2, 9, 10))
    e2 = ask("teller_a", at(2026, 3, 3, 9, 0))
    services.hand_over(enquiry=e2, by=u("teller_a"), to=u("leader_a"), now=at(2026, 3, 3, 9, 5))
    services.accept_handover(enquiry=e2, by=u("leader_a"), now=at(2026, 3, 3, 9, 30))
    services.solve_enquiry(enquiry=e2, by=u("leader_a"), answer="已答复", now=at(2026, 3, 4, 9, 0))
    ask("guide_a", at(2026, 3, 31, 9, 0))
    e4 = ask("teller_a", at(2026, 2, 28, 16, 0))
    services.solve_enquiry(enquiry=e4, by=u("teller_a"), answer="已答复", now=at(2026, 3, 1, 9, 0))
    return org


def test_r_b4_hall_figures_match_the_hand_count(month):
    by_hall = figures.hall_figures([month.hall_a, month.hall_b], MARCH)
    a = by_hall[month.hall_a.pk]
    assert (a.accepted, a.joint, a.completed, a.completed_on_time, a.terminated, a.stalled, a.open_at_end) == (5, 1, 3, 2, 1, 1, 2)
    assert (a.enquiries, a.enquiries_solved, a.handovers) == (3, 3, 1)
    assert (a.on_time_rate.numerator, a.on_time_rate.denominator, a.on_time_rate.display) == (2, 3, "66.7%")
    b = by_hall[month.hall_b.pk]
    assert (b.accepted, b.completed, b.open_at_end, b.enquiries) == (1, 0, 1, 0)
    assert b.on_time_rate.display == "—"


def test_r_b4_teller_figures_match_the_hand_count(month):
    by_person = figures.teller_figures([month.hall_a], MARCH)
    u = month.user
    t = by_person[u("teller_a").pk]
    assert (t.accepted, t.joint, t.completed, t.completed_on_time, t.terminated, t.stalled, t.open_at_end) == (4, 1, 3, 2, 0, 1, 2)
    assert (t.enquiries, t.enquiries_solved, t.handovers) == (1, 1, 0)
    t2 = by_person[u("teller_a2").pk]
    assert (t2.accepted, t2.terminated, t2.completed) == (1, 1, 0)
    g = by_person[u("guide_a").pk]
    assert (g.accepted, g.enquiries, g.enquiries_solved) == (0, 2, 1)
    lead = by_person[u("leader_a").pk]
    assert (lead.enquiries, lead.enquiries_solved, lead.handovers) == (0, 1, 1)
    assert u("teller_b").pk not in by_person  # hall B was not asked for


def test_r_b4_report_page_and_excel_show_the_same_numbers_and_the_export_is_audited(client, month):
    client.force_login(month.user("leader_a"))
    page = client.get(reverse("workorders:flow_report"), {"month": "2026-03", "hall": month.hall_a.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="accepted">5<' in html and 'title="2 / 3">66.7%<' in html
    response = client.get(reverse("workorders:flow_report_xlsx"), {"month": "2026-03", "hall": month.hall_a.pk})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    halls = list(wb.worksheets[0].iter_rows(values_only=True))
    assert halls[1][:8] == (month.hall_a.name, 5, 1, 3, 2, 66.7, 2, 3)
    assert halls[1][8:] == (1, 1, 2, 3, 3, 1)
    tellers = {row[1]: row for row in list(wb.worksheets[1].iter_rows(values_only=True))[1:]}
    assert tellers["teller_a"][2:6] == (4, 1, 3, 2)
    entry = AuditEntry.objects.get(action="workorders.report_export")
    assert entry.actor == month.user("leader_a") and entry.hall_id == month.hall_a.pk and entry.after["month"] == "2026-03"


def test_r_b4_export_writes_names_as_text_never_as_formulas(client, month):
    teller = month.user("teller_a")
    teller.display_name = '=HYPERLINK("http://evil.example","点我")'
    teller.save()
    client.force_login(month.user("leader_a"))
    response = client.get(reverse("workorders:flow_report_xlsx"), {"month": "2026-03"})
    wb = load_workbook(io.BytesIO(response.content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == "'" + teller.display_name for c in cells)


def test_r_b4_report_of_a_hall_outside_scope_is_404_and_a_teller_has_no_report(client, month):
    client.force_login(month.user("leader_a"))
    assert client.get(reverse("workorders:flow_report"), {"hall": month.hall_b.pk}).status_code == 404
    assert client.get(reverse("workorders:flow_report_xlsx"), {"hall": month.hall_b.pk}).status_code == 404
    assert client.get(reverse("workorders:flow_report"), {"hall": "x"}).status_code == 404
    client.force_login(month.user("teller_a"))
    assert client.get(reverse("workorders:flow_report")).status_code == 403
