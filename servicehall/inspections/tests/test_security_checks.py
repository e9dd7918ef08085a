"""R-E3 periodic security checks on the checklist engine: each hall's schedule (daily / weekly / monthly /
quarterly, due on the hall's working calendar), doing a check, and the missed-check flag (frozen time)."""
import datetime as dt
import threading

import pytest
from django.db import connection, connections
from playwright.sync_api import expect

from servicehall.core.calendar import WorkingCalendar
from servicehall.core.deadlines import SWEEPS
from servicehall.core.errors import DomainError, Forbidden, NotFound
from servicehall.core.figures import Period
from servicehall.core.models import AuditEntry, LiveEvent
from servicehall.core.testing import login, screenshot
from servicehall.inspections import services
from servicehall.inspections.figures import inspection_figures, security_check_figures
from servicehall.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    Inspection,
    InspectionKind,
    RectificationTask,
    SecurityCheckSchedule,
    SecurityCheckSlot,
)
from servicehall.inspections.schedule import cadence_period, security_check_due
from servicehall.org.models import SpecialDay

from .conftest import SHANGHAI
from .helpers import fill

MONDAY = dt.date(2026, 3, 2)
DAY = [(dt.time(8, 30), dt.time(17, 30))]


def at(hour, minute=0, day=MONDAY):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def local(moment):
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


# --- cadence arithmetic: pure functions of a hand-made calendar ------------------------------------

# Open Monday–Friday, with Saturday shorter; closed Sunday; a holiday and a special short day.
CALENDAR = WorkingCalendar(
    tz=SHANGHAI,
    weekly={0: DAY, 1: DAY, 2: DAY, 3: DAY, 4: DAY, 5: [(dt.time(9, 0), dt.time(16, 0))]},
    special_days={
        dt.date(2026, 3, 31): [],                                  # the month's last weekday is a holiday
        dt.date(2026, 6, 30): [(dt.time(9, 0), dt.time(12, 0))],  # the quarter ends on a half day
        dt.date(2026, 12, 31): [], dt.date(2026, 12, 30): [],     # the year's last two days closed
    },
)


def test_r_e3_cadence_periods_cover_weeks_short_months_and_quarters():
    assert cadence_period("daily", MONDAY) == (MONDAY, MONDAY)
    assert cadence_period("weekly", dt.date(2026, 3, 5)) == (MONDAY, dt.date(2026, 3, 8))
    assert cadence_period("monthly", dt.date(2026, 2, 14)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert cadence_period("monthly", dt.date(2028, 2, 14)) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))  # leap year
    assert cadence_period("monthly", dt.date(2026, 12, 31)) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert cadence_period("quarterly", dt.date(2026, 5, 20)) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert cadence_period("quarterly", dt.date(2026, 11, 1)) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    with pytest.raises(ValueError):
        cadence_period("hourly", MONDAY)


def test_r_e3_a_daily_check_is_due_before_closing_or_at_its_time_and_a_closed_day_owes_nothing():
    assert local(security_check_due(CALENDAR, "daily", MONDAY).due_at) == "2026-03-02 17:30"
    assert local(security_check_due(CALENDAR, "daily", MONDAY, dt.time(9, 0)).due_at) == "2026-03-02 09:00"
    # a time after closing is closing: nobody is there to check
    assert local(security_check_due(CALENDAR, "daily", dt.date(2026, 3, 7), dt.time(17, 0)).due_at) == "2026-03-07 16:00"
    assert security_check_due(CALENDAR, "daily", dt.date(2026, 3, 8)) is None  # Sunday
    assert security_check_due(CALENDAR, "daily", dt.date(2026, 3, 31)) is None  # holiday


def test_r_e3_longer_checks_are_due_at_the_close_of_the_periods_last_business_day():
    # the week's last business day is Saturday (short hours)
    week = security_check_due(CALENDAR, "weekly", dt.date(2026, 3, 4))
    assert (week.period_start, week.period_end, local(week.due_at)) == (MONDAY, dt.date(2026, 3, 8), "2026-03-07 16:00")
    # March ends on a holiday (Tuesday): due Monday the 30th
    assert local(security_check_due(CALENDAR, "monthly", dt.date(2026, 3, 10)).due_at) == "2026-03-30 17:30"
    # February 2026 (28 days) ends on a Saturday
    assert local(security_check_due(CALENDAR, "monthly", dt.date(2026, 2, 3)).due_at) == "2026-02-28 16:00"
    # the second quarter ends on a half day: due at its noon closing
    assert local(security_check_due(CALENDAR, "quarterly", dt.date(2026, 4, 1)).due_at) == "2026-06-30 12:00"
    # the year's last two days closed: the fourth quarter is due on Tuesday 29 December
    assert local(security_check_due(CALENDAR, "quarterly", dt.date(2026, 10, 1)).due_at) == "2026-12-29 17:30"
    closed = WorkingCalendar(tz=SHANGHAI, weekly={})
    assert security_check_due(closed, "monthly", MONDAY) is None  # a hall closed all period owes nothing


# --- seed and schedules ------------------------------------------------------------------------------

def test_r_e3_the_seeded_security_checklist_is_split_by_cadence_keeping_its_items(checklists):
    templates = {t.code: t for t in ChecklistTemplate.objects.filter(kind="security")}
    assert set(templates) == {"security", "security-monthly", "security-quarterly"}
    assert services.seeded_cadences() == {"security": "daily", "security-monthly": "monthly", "security-quarterly": "quarterly"}
    keys = {code: set(ChecklistItem.objects.filter(version__template=t).values_list("key", flat=True)) for code, t in templates.items()}
    assert {"sec-alarm", "sec-security-door", "sec-cash-box", "sec-closed-counters"} <= keys["security"]
    assert keys["security-monthly"] == {"sec-emergency-light", "sec-extinguishers"}
    assert keys["security-quarterly"] == {"sec-drill"}
    assert len(set().union(*keys.values())) == sum(len(k) for k in keys.values()) == 13  # every item once, none lost
    assert services.load_checklists()["templates"] == 0  # idempotent


def test_r_e3_reading_a_halls_security_page_writes_nothing_and_shows_the_default_schedule(client, org, checklists, time_machine):
    time_machine.move_to(at(10), tick=False)
    client.force_login(org.user("leader_a"))
    page = client.get("/inspections/security/").content.decode()
    assert 'data-testid="security-security"' in page and 'data-testid="security-security-monthly"' in page
    assert "03-31 17:30" in page  # March's last business day on hall A's calendar (open every day)
    assert not SecurityCheckSchedule.objects.exists() and not SecurityCheckSlot.objects.exists()


def test_r_e3_only_the_hall_leader_or_an_administrator_edits_the_schedule(client, org, checklists, time_machine):
    time_machine.move_to(at(10), tick=False)
    daily = ChecklistTemplate.objects.get(code="security")
    for name in ("security_a", "teller_a", "supervisor_a"):
        with pytest.raises(Forbidden):
            services.update_security_schedule(hall=org.hall_a, template_id=daily.pk, by=org.user(name), due_time="09:00")
    with pytest.raises(NotFound):
        services.update_security_schedule(hall=org.hall_b, template_id=daily.pk, by=org.user("leader_a"), due_time="09:00")
    schedule = services.update_security_schedule(hall=org.hall_a, template_id=daily.pk, by=org.user("leader_a"), due_time="09:00")
    assert schedule.due_time == dt.time(9, 0)
    assert AuditEntry.objects.filter(action="security.schedule", hall_id=org.hall_a.pk).count() == 1
    slot = SecurityCheckSlot.objects.get(schedule=schedule)
    assert local(slot.due_at) == "2026-03-02 09:00"  # today's untouched slot follows the new rule
    with pytest.raises(DomainError, match="HH:MM"):
        services.update_security_schedule(hall=org.hall_a, template_id=daily.pk, by=org.user("leader_a"), due_time="noon")
    with pytest.raises(DomainError):
        services.update_security_schedule(hall=org.hall_a, template_id=daily.pk, by=org.user("leader_a"), cadence="hourly")
    # a monthly check has no time of day; the admin may edit too
    monthly = ChecklistTemplate.objects.get(code="security-monthly")
    assert services.update_security_schedule(hall=org.hall_a, template_id=monthly.pk, by=org.user("admin"), cadence="weekly", due_time="09:00").due_time is None
    # the page: a form error is a 4xx with a message, never a 500; another hall's page is not reachable
    client.force_login(org.user("leader_a"))
    assert client.post("/inspections/security/schedule/", {"template": "abc", "cadence": "daily"}).status_code == 400
    assert client.post("/inspections/security/schedule/", {"template": daily.pk, "cadence": "daily", "due_time": "25:99"}).status_code == 400
    client.force_login(org.user("security_a"))
    assert client.post("/inspections/security/schedule/", {"template": daily.pk, "cadence": "weekly"}).status_code == 403
    assert 'data-testid="security-schedule"' not in client.get("/inspections/security/").content.decode()


# --- doing a check -----------------------------------------------------------------------------------

def _sweep():
    return SWEEPS["inspections.security_checks"]()


def test_r_e3_the_hall_staff_the_policy_allows_perform_and_a_failed_item_raises_a_task(org, checklists, time_machine):
    time_machine.move_to(at(10), tick=False)
    daily = ChecklistTemplate.objects.get(code="security")
    for name in ("teller_a", "guide_a", "supervisor_a"):
        with pytest.raises(Forbidden):
            services.start_security_check(hall=org.hall_a, template_id=daily.pk, by=org.user(name))
    with pytest.raises(NotFound):
        services.start_security_check(hall=org.hall_b, template_id=daily.pk, by=org.user("leader_a"))
    guard = org.user("security_a")
    inspection = services.start_security_check(hall=org.hall_a, template_id=daily.pk, by=guard)
    assert inspection.kind == InspectionKind.SECURITY and inspection.status == "in_progress"
    assert services.start_security_check(hall=org.hall_a, template_id=daily.pk, by=org.user("leader_a")) == inspection  # one record per period
    fill(inspection, guard, fail=("sec-closed-counters",))
    time_machine.move_to(at(16), tick=False)
    services.submit_inspection(inspection=inspection, by=guard)
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.PUBLISHED and inspection.passed is False  # published at once, no hold
    task = RectificationTask.objects.get(inspection=inspection)
    assert task.item_key == "sec-closed-counters"
    slot = SecurityCheckSlot.objects.get(inspection=inspection)
    assert slot.state == "done" and slot.done_by == guard
    # a failed security check moves neither the service-check pass rate nor its counts …
    period = Period(MONDAY, MONDAY)
    default = inspection_figures([org.hall_a], period)[org.hall_a.pk]
    assert all(f.inspections == 0 for f in default.values())
    # … but it is counted in the security checks' own figures
    own = inspection_figures([org.hall_a], period, kinds=[InspectionKind.SECURITY])[org.hall_a.pk]["security"]
    assert (own.inspections, own.passed) == (1, 0)


def test_r_e3_sweep_lays_out_slots_and_flags_a_missed_check_exactly_once(org, checklists, time_machine):
    time_machine.move_to(at(10), tick=False)
    assert _sweep() == 0
    assert SecurityCheckSchedule.objects.filter(hall=org.hall_a).count() == 3  # the seeded defaults, created when first needed
    assert SecurityCheckSlot.objects.filter(hall=org.hall_a).count() == 3
    time_machine.move_to(at(17, 30), tick=False)
    assert _sweep() == 2  # both halls' daily checks
    assert _sweep() == 0
    slot = SecurityCheckSlot.objects.get(hall=org.hall_a, schedule__template__code="security", period_start=MONDAY)
    assert slot.state == "missed" and slot.missed_at == at(17, 30)
    assert AuditEntry.objects.filter(action="security.missed", hall_id=org.hall_a.pk).count() == 1
    assert LiveEvent.objects.filter(hall_id=org.hall_a.pk, kind="security_check_missed").count() == 1
    # a closed day lays out no daily check
    SpecialDay.objects.create(company=org.company, hall=org.hall_a, date=MONDAY + dt.timedelta(days=1), name="停业", closed=True)
    time_machine.move_to(at(10, day=MONDAY + dt.timedelta(days=1)), tick=False)
    _sweep()
    assert not SecurityCheckSlot.objects.filter(hall=org.hall_a, period_start=MONDAY + dt.timedelta(days=1)).exists()


def test_r_e3_a_check_done_late_counts_as_late_not_missed(org, checklists, time_machine):
    time_machine.move_to(at(10), tick=False)
    leader = org.user("leader_a")
    daily = ChecklistTemplate.objects.get(code="security")
    services.update_security_schedule(hall=org.hall_a, template_id=daily.pk, by=leader, due_time="11:00")
    inspection = fill(services.start_security_check(hall=org.hall_a, template_id=daily.pk, by=leader), leader)
    time_machine.move_to(at(11, 5), tick=False)
    _sweep()
    assert SecurityCheckSlot.objects.get(inspection=inspection).state == "missed"
    time_machine.move_to(at(11, 20), tick=False)
    services.submit_inspection(inspection=inspection, by=leader)
    slot = SecurityCheckSlot.objects.get(inspection=inspection)
    assert slot.state == "late"
    time_machine.move_to(at(18), tick=False)
    figures = security_check_figures([org.hall_a, org.hall_b], Period(MONDAY, MONDAY))
    assert (figures[org.hall_a.pk].due, figures[org.hall_a.pk].on_time, figures[org.hall_a.pk].late, figures[org.hall_a.pk].missed) == (1, 0, 1, 0)
    assert figures[org.hall_a.pk].on_time_rate.as_dict()["denominator"] == 1
    assert (figures[org.hall_b.pk].due, figures[org.hall_b.pk].missed) == (1, 1)  # hall B's daily check was never started


def test_r_e3_missed_checks_show_on_the_leaders_home_and_to_the_supervisor_over_the_region(client, org, checklists, time_machine):
    time_machine.move_to(at(10), tick=False)
    _sweep()
    client.force_login(org.user("leader_a"))
    home = client.get("/").content.decode()
    assert 'data-testid="panel-inspections-security"' in home and 'data-testid="panel-security-missed"' not in home
    time_machine.move_to(at(17, 31), tick=False)
    _sweep()
    home = client.get("/").content.decode()
    assert 'data-testid="panel-security-missed"' in home and "每日安全检查" in home
    client.force_login(org.user("supervisor_a"))
    listing = client.get("/inspections/security/missed/").content.decode()
    assert "ha营业厅" in listing and "hb营业厅" not in listing  # only the halls of the supervisor's region
    client.force_login(org.user("leader_a"))
    assert client.get("/inspections/security/missed/").status_code == 403


# --- two workers ---------------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_r_e3_two_workers_sweeping_at_once_flag_each_missed_check_once(tx_org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    services.load_checklists()
    results, errors = [], []
    barrier = threading.Barrier(2)
    sweep = SWEEPS["inspections.security_checks"]

    def worker():
        try:
            barrier.wait()
            results.append(sweep(at(17, 31)))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    sweep(at(10))  # lay out the day's slots
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sum(results) == 2  # the daily check of each hall, once
    assert AuditEntry.objects.filter(action="security.missed").count() == 2
    assert LiveEvent.objects.filter(kind="security_check_missed").count() == 2


# --- on a phone ---------------------------------------------------------------------------------------

@pytest.mark.browser
def test_r_e3_the_guard_does_the_daily_check_on_a_phone(phone, asgi_server, tx_org, monday_morning):
    services.load_checklists()
    login(phone, asgi_server.url, "security_a")
    phone.goto(f"{asgi_server.url}/inspections/security/")
    card = phone.locator("[data-testid=security-security]")
    assert card.get_attribute("data-state") == "pending"
    assert phone.locator("[data-testid=security-schedule]").count() == 0  # the guard checks, the leader schedules
    screenshot(phone, "inspections-security-phone")
    phone.locator("[data-testid=start-security]").tap()
    phone.wait_for_url("**/inspections/i/*/")
    inspection = Inspection.objects.get(kind=InspectionKind.SECURITY)
    for item in inspection.version.items.order_by("section__order", "order"):
        choice = "fail" if item.key == "sec-closed-counters" else "pass"
        phone.locator(f"[data-testid=item-{item.key}] [data-testid={choice}]").tap()
        phone.wait_for_selector(f"[data-testid=item-{item.key}][data-state={choice}]")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "the form must fit a phone screen"
    phone.locator("[data-testid=submit]").tap()
    expect(phone.locator("[data-testid=score]")).to_be_visible()  # published at once (the task goes to the leader)
    phone.goto(f"{asgi_server.url}/inspections/security/")
    phone.wait_for_selector("[data-testid=security-security][data-state=done]")
    screenshot(phone, "inspections-security-phone-done")
    assert RectificationTask.objects.get(inspection=inspection).item_key == "sec-closed-counters"
    assert SecurityCheckSlot.objects.get(inspection=inspection).done_by == tx_org.user("security_a")
