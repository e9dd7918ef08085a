"""One set of figures (issue 10 part 3): a hand-counted fixture of two halls, and the morning-meeting
review, the leader's live view, the early warnings, the monthly rectification report and the evaluation
report all print the same numerators and denominators for it (pages, exports and API).

The fixture, hall A (Asia/Shanghai), Monday 2 March 2026 (D1), all by teller_a:
  ticket  queued  called  service            rating        notes
  A001    09:00   09:01   09:01–09:06 300 s  满意
  A002    09:02   09:07   09:07–09:12 300 s  基本满意
  A003    09:03   09:13   09:13–09:15 120 s  —             transferred in mid-service (service closed as referred)
   └B001  09:15   09:20   09:20–09:30 600 s  不满意        the continuation: the same customer, not a new one
  A004    09:04   09:16   —                  —             no-show
  A005    09:05   09:31   09:31–09:51 1200 s —             over its 600 s limit
  A006    09:06   —       —                  —             left (cancelled)
  → customers (tickets taken) 6 (the old complaint rate counted 7 rows); called 5; served 4 (A001, A002,
    B001, A005); services finished 5; rated 3; satisfaction 2/3 = 66.7 %; unrated 2/5 = 40.0 %;
    over-limit 1/5 = 20.0 %; no-show 1/5 = 20.0 %; wait (60+300+600+720+1560)/5 = 648 s;
    handling (300+300+120+600+1200)/5 = 504 s.
  Cases received on D1: a hall-responsible complaint (teller_a), one not the hall's fault, one pending
  attribution, and an opinion (not a complaint) → complaints 3, rate 1 ÷ 6 × 10 000 = 1666.67 件/万笔.
  Patrols on D1: opening on time, peak late, closing missed → on time 1/3 = 33.3 %.
  Morning meeting on D1, held: roster 4 (teller_a 出勤, leader_a 出勤, guide_a 迟到, security_a 缺勤) →
  attendance 3/4 = 75.0 %; March's open days 31 → morning meetings held 1/31 = 3.2 %. One daily error.
Hall B (Asia/Urumqi, UTC+6): on D1 two customers served, one rated 满意 (satisfaction 1/1, unrated 1/2);
  a hall-responsible complaint received 31 March 23:30 in Urumqi — 1 April 01:30 in Beijing, still March
  in the hall's own days → rate 1 ÷ 2 × 10 000 = 5000.00 件/万笔. The province: 2 ÷ 8 = 2500.00.
"""
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from servicehall.cases import services as case_services
from servicehall.cases.defaults import ensure_defaults
from servicehall.cases.models import EarlyWarning, RootCause, WarningThresholds
from servicehall.catalogue.models import ServiceCategory
from servicehall.inspections import services as inspection_services
from servicehall.inspections.models import PatrolSlot
from servicehall.onsite import services as onsite_services
from servicehall.onsite.models import Meeting, MeetingAttendance
from servicehall.queueing.models import Rating, Service, Ticket, TicketEvent

pytestmark = pytest.mark.django_db
SHANGHAI, URUMQI = ZoneInfo("Asia/Shanghai"), ZoneInfo("Asia/Urumqi")
D1, D2 = dt.date(2026, 3, 2), dt.date(2026, 3, 3)

# The hand count, as every consumer must print it: (numerator, denominator, display).
HALL_A_QUEUE = {"tickets_taken": 6, "customers_served": 4, "services_finished": 5, "dissatisfied": 1, "services_over_limit": 1}
HALL_A_RATES = {
    "satisfaction": (2, 3, "66.7%"), "unrated_share": (2, 5, "40.0%"), "over_limit_share": (1, 5, "20.0%"),
    "no_show_rate": (1, 5, "20.0%"),
}
HALL_A_COMPLAINTS = {"received": 3, "hall_responsible": 1, "not_hall": 1, "pending": 1}
RATE_A, RATE_B, RATE_REGION = (1, 6, "1666.67"), (1, 2, "5000.00"), (2, 8, "2500.00")
PATROLS_A = (1, 3, "33.3%")
ATTENDANCE_A, MEETINGS_A = (3, 4, "75.0%"), (1, 31, "3.2%")


def _at(day, hh, mm, tz=SHANGHAI):
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=tz)


def _visit(hall, counter, teller, code, *, queued, called=None, served=None, limit=600, score=None, status, from_ticket=None,
           day=D1, tz=SHANGHAI, outcome=Service.Outcome.DONE):
    """One ticket row with its events, its service and rating, written as the live services leave them."""
    category = ServiceCategory.objects.get(prefix=code[0])
    ticket = Ticket.objects.create(
        hall=hall, business_day=day, category=category, number=int(code[1:]), code=code, queue_at=_at(day, *queued, tz),
        issued_at=_at(day, *queued, tz), status=status, counter=counter if called else None,
        called_at=_at(day, *called, tz) if called else None, transferred_from=from_ticket,
    )
    TicketEvent.objects.create(hall=hall, ticket=ticket, kind=TicketEvent.Kind.TAKEN, at=ticket.issued_at)
    if called:
        TicketEvent.objects.create(hall=hall, ticket=ticket, kind=TicketEvent.Kind.CALLED, counter=counter, at=ticket.called_at)
    if status == Ticket.Status.NO_SHOW:
        TicketEvent.objects.create(hall=hall, ticket=ticket, kind=TicketEvent.Kind.NO_SHOW, at=ticket.called_at + dt.timedelta(minutes=3))
    if served:
        start, end = _at(day, *served[0], tz), _at(day, *served[1], tz)
        seconds = int((end - start).total_seconds())
        service = Service.objects.create(
            hall=hall, ticket=ticket, counter=counter, teller=teller, started_at=start, finished_at=end, time_limit_seconds=limit,
            handling_seconds=seconds, over_limit=seconds > limit, outcome=outcome,
            overrun_reason="customer_documents" if seconds > limit else "",
        )
        if score:
            Rating.objects.create(hall=hall, service=service, ticket=ticket, counter=counter, teller=teller, score=score,
                                  reasons=["attitude"] if score == Rating.Score.DISSATISFIED else [], created_at=end)
    return ticket


def _case(org, hall, *, at, responsible=None, kind=None, channel="hotline_95598", title="客户反映办理太慢"):
    leader = org.user("leader_a" if hall == org.hall_a else "leader_b")
    with time_machine.travel(at, tick=False):
        case = case_services.open_case(hall=hall, channel=channel, title=title, kind=kind, by=leader)
        if responsible is None:
            return case
        case = case_services.accept_case(case=case, by=leader)
        staff = org.user("teller_a" if hall == org.hall_a else "teller_b") if responsible else None
        cause = RootCause.objects.get(code="attitude" if responsible else "customer_own")
        return case_services.attribute_case(case=case, by=leader, hall_responsible=responsible, root_cause=cause,
                                            responsible_staff=staff, rectification="开展服务礼仪培训")


@pytest.fixture
def fixture(org):
    ensure_defaults()
    # a complaint rate is worked out from the first ticket on: this fixture is small on purpose
    WarningThresholds.objects.filter(hall__isnull=True).update(rate_min_tickets=1, window_days=30)
    a, b = org.hall_a, org.hall_b
    b.timezone = "Asia/Urumqi"
    b.save()
    teller, c1 = org.user("teller_a"), org.counters_a[0]
    S = Rating.Score
    _visit(a, c1, teller, "A001", queued=(9, 0), called=(9, 1), served=((9, 1), (9, 6)), score=S.SATISFIED, status="done")
    _visit(a, c1, teller, "A002", queued=(9, 2), called=(9, 7), served=((9, 7), (9, 12)), score=S.BASIC, status="done")
    a3 = _visit(a, c1, teller, "A003", queued=(9, 3), called=(9, 13), served=((9, 13), (9, 15)), status="transferred",
                outcome=Service.Outcome.REFERRED)
    _visit(a, c1, teller, "B001", queued=(9, 15), called=(9, 20), served=((9, 20), (9, 30)), score=S.DISSATISFIED, status="done",
           from_ticket=a3)
    _visit(a, c1, teller, "A004", queued=(9, 4), called=(9, 16), status="no_show")
    _visit(a, c1, teller, "A005", queued=(9, 5), called=(9, 31), served=((9, 31), (9, 51)), status="done")
    _visit(a, c1, teller, "A006", queued=(9, 6), status="cancelled")
    tb, cb = org.user("teller_b"), org.counters_b[0]
    _visit(b, cb, tb, "A001", queued=(9, 0), called=(9, 1), served=((9, 1), (9, 5)), score=S.SATISFIED, status="done", tz=URUMQI)
    _visit(b, cb, tb, "A002", queued=(9, 1), called=(9, 5), served=((9, 5), (9, 9)), status="done", tz=URUMQI)

    _case(org, a, at=_at(D1, 10, 0), responsible=False)
    _case(org, a, at=_at(D1, 10, 10), responsible=None)
    _case(org, a, at=_at(D1, 10, 20), channel="comment_book", kind="opinion", title="建议增加座椅")
    _case(org, a, at=_at(D1, 16, 0), responsible=True)
    _case(org, b, at=_at(dt.date(2026, 3, 31), 23, 30, URUMQI), responsible=True)

    slots = inspection_services.ensure_patrol_slots(a, D1)
    opening, peak, closing = sorted(slots, key=lambda s: s.window_start)
    PatrolSlot.objects.filter(pk=opening.pk).update(done_at=opening.window_start + dt.timedelta(minutes=5))
    PatrolSlot.objects.filter(pk=peak.pk).update(done_at=peak.window_end + dt.timedelta(minutes=10), missed_at=peak.window_end)
    PatrolSlot.objects.filter(pk=closing.pk).update(missed_at=closing.window_end)

    leader = org.user("leader_a")
    with time_machine.travel(_at(D1, 8, 5), tick=False):
        meeting = onsite_services.open_meeting(hall=a, kind=Meeting.Kind.MORNING, by=leader)
        for username, status in (("guide_a", "late"), ("security_a", "absent")):
            row = MeetingAttendance.objects.get(meeting=meeting, user=org.user(username))
            onsite_services.record_attendance(attendance=row, by=leader, status=status)
        onsite_services.finish_meeting(meeting=meeting, by=leader, tasks="做好月初缴费高峰引导")
        onsite_services.record_error(hall=a, person=teller, category="other", description="未唱收唱付", by=leader, day=D1)
    return org


SPAN = re.compile(r'<span class="[^"]*"(?: data-testid="([^"]+)")? title="(\d+) / (\d+)" data-numerator="(\d+)" '
                  r'data-denominator="(\d+)" data-scale="(\d+)">([^<]*)</span>')


def spans(html) -> dict:
    """Every rate a page prints with `core/templatetags/figures`: testid → (numerator, denominator, display)."""
    out = {}
    for testid, tn, td, n, d, _scale, display in SPAN.findall(html):
        assert (tn, td) == (n, d)
        out.setdefault(testid, []).append((int(n), int(d), display.strip()))
    return out


def number(html, testid) -> str:
    return re.search(rf'data-testid="{testid}">([^<]*)<', html).group(1).strip()


def test_the_live_view_and_the_morning_review_print_the_hand_counted_queue_figures(client, fixture):
    org = fixture
    client.force_login(org.user("leader_a"))
    with time_machine.travel(_at(D1, 17, 0), tick=False):
        live = client.get(reverse("queueing:hall_live")).content.decode()
        api = client.get(f"/api/queue/halls/{org.hall_a.pk}/figures").json()
    rates = spans(live)
    assert number(live, "fig-tickets") == "6"
    assert rates["fig-satisfaction"] == [HALL_A_RATES["satisfaction"]]
    assert rates["fig-unrated"] == [HALL_A_RATES["unrated_share"]]
    assert rates["fig-over-share"] == [HALL_A_RATES["over_limit_share"]]
    assert rates["fig-no-show"] == [HALL_A_RATES["no_show_rate"]]
    assert "648 秒 · 5 位客户" in live and "504 秒 · 5 次办理" in live
    for name, value in HALL_A_QUEUE.items():
        assert api[name] == value, name
    for name, (n, d, display) in HALL_A_RATES.items():
        assert (api[name]["numerator"], api[name]["denominator"], api[name]["display"]) == (n, d, display), name
    assert api["wait_seconds"] == {"total": "3240", "count": 5, "value": "648"}
    assert api["handling_seconds"] == {"total": "2520", "count": 5, "value": "504"}

    with time_machine.travel(_at(D2, 8, 5), tick=False):
        meeting = onsite_services.open_meeting(hall=org.hall_a, kind=Meeting.Kind.MORNING, by=org.user("leader_a"))
        page = client.get(f"/onsite/meetings/{meeting.pk}/").content.decode()
    assert meeting.review_day == D1
    rates = spans(page)
    assert number(page, "review-tickets") == "6" and number(page, "review-served") == "4"
    assert number(page, "review-over-limit") == "1" and number(page, "review-dissatisfied") == "1"
    assert rates["review-satisfaction"] == [HALL_A_RATES["satisfaction"]]
    assert rates["review-unrated"] == [HALL_A_RATES["unrated_share"]]
    assert rates["review-no-show"] == [HALL_A_RATES["no_show_rate"]]
    assert re.search(rf'data-testid="review-unrated-{org.user("teller_a").pk}">teller_a 2/5<', page)
    assert "登记 4 件，其中投诉 3 件（营业厅有责 1，非营业厅责任 1，待定责 1）" in page
    assert "按时完成 1 / 3，超时 1，漏检 1" in page
    review = meeting.review
    assert {k: review["queue"]["figures"][k] for k in HALL_A_QUEUE} == HALL_A_QUEUE
    assert {k: review["complaints"]["figures"][k] for k in HALL_A_COMPLAINTS} == HALL_A_COMPLAINTS
    assert review["attendance"] == {"numerator": 3, "denominator": 4, "scale": 100, "value": "75.0"}


def test_the_early_warnings_and_the_monthly_report_print_the_same_complaint_rates(client, fixture):
    org = fixture
    warnings = {w.hall_id: w for w in EarlyWarning.objects.filter(kind=EarlyWarning.Kind.COMPLAINT_RATE)}
    for hall, (n, d, value) in ((org.hall_a, RATE_A), (org.hall_b, RATE_B)):
        w = warnings[hall.pk]
        assert (w.detail["complaints"], w.detail["tickets"], w.detail["rate"], w.detail["scale"]) == (n, d, value, 10_000)
        assert f"投诉率 {value} 件/万笔（{n} 件 ÷ {d} 笔）" in w.title
    client.force_login(org.user("supervisor_all"))
    listed = client.get(reverse("cases:warning_list")).content.decode()
    assert "投诉率 1666.67 件/万笔（1 件 ÷ 6 笔）" in listed and "投诉率 5000.00 件/万笔（1 件 ÷ 2 笔）" in listed

    query = {"month": "2026-03", "region": org.province.pk}
    page = client.get(reverse("cases:monthly_report"), query).content.decode()
    assert [(n, d, display) for n, d, display in spans(page)["report-rate"]] == [
        (1, 6, "1666.67 件/万笔"), (1, 2, "5000.00 件/万笔")]
    book = load_workbook(io.BytesIO(client.get(reverse("cases:monthly_report_xlsx"), query).content))
    header, *rows = list(book["营业厅指标"].iter_rows(values_only=True))
    by_hall = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    for name, (n, d, value) in (("ha营业厅", RATE_A), ("hb营业厅", RATE_B)):
        row = by_hall[name]
        assert (row["营业厅有责投诉"], row["取号量（客户）"], row["投诉率（件/万笔）"]) == (n, d, float(value))
    assert (by_hall["ha营业厅"]["非营业厅责任投诉"], by_hall["ha营业厅"]["待定责投诉"]) == (1, 1)
    api = client.get("/api/cases/reports/monthly", {"month": "2026-03", "region_id": org.province.pk}).json()
    assert (api["complaint_rate"]["numerator"], api["complaint_rate"]["denominator"], api["complaint_rate"]["value"]) == RATE_REGION
    assert [(h["complaint_rate"]["numerator"], h["complaint_rate"]["denominator"], h["complaint_rate"]["value"]) for h in api["halls"]] == [
        RATE_A, RATE_B]
    a = api["halls"][0]
    assert (a["complaints"], a["complaints_hall"], a["complaints_not_hall"], a["complaints_pending"]) == (3, 1, 1, 1)


def test_the_evaluation_report_prints_the_hand_counted_onsite_and_patrol_figures(client, fixture):
    org = fixture
    client.force_login(org.user("supervisor_a"))
    query = {"hall": org.hall_a.pk, "from": "2026-03-01", "to": "2026-03-31"}
    with time_machine.travel(_at(D2, 10, 0), tick=False):
        page = client.get(reverse("inspections:report"), query).content.decode()
        book = load_workbook(io.BytesIO(client.get(reverse("inspections:report_xlsx"), query).content))
        api = client.get("/api/inspections/report", {"hall_id": org.hall_a.pk, "date_from": "2026-03-01", "date_to": "2026-03-31"}).json()
    rates = spans(page)
    assert rates["fig-patrol-rate"] == [PATROLS_A]
    assert rates["fig-attendance"] == [ATTENDANCE_A]
    assert rates["fig-meetings"] == [MEETINGS_A]
    summary = {row[0]: row[1:] for row in book["概要"].iter_rows(values_only=True)}
    assert summary["巡检按时完成率（%）"] == (33.3, 1, 3)
    assert summary["早会出勤率（%）"] == (75.0, 3, 4)
    assert summary["早会召开率（%）"] == (3.2, 1, 31)
    for key, (n, d, display) in (("on_time_rate", PATROLS_A),):
        assert (api["patrols"][key]["numerator"], api["patrols"][key]["denominator"], api["patrols"][key]["display"]) == (n, d, display)
    assert (api["onsite"]["attendance"]["numerator"], api["onsite"]["attendance"]["denominator"]) == ATTENDANCE_A[:2]
    assert (api["onsite"]["morning_held_rate"]["numerator"], api["onsite"]["morning_held_rate"]["denominator"]) == MEETINGS_A[:2]
    assert api["onsite"]["errors"] == 1
