"""R-S2 three patrols a day, laid out from the hall's opening hours; a patrol not done in its window
is flagged once to the hall leader and the supervisor (frozen time)."""
import datetime as dt
import subprocess
import sys

import pytest

from servicehall.core.calendar import WorkingCalendar
from servicehall.core.deadlines import SWEEPS
from servicehall.core.errors import DomainError, Forbidden
from servicehall.core.models import AuditEntry, LiveEvent
from servicehall.core.testing import make_user
from servicehall.inspections import services
from servicehall.inspections.models import Inspection, PatrolSlot
from servicehall.inspections.schedule import PatrolClock, patrol_windows
from servicehall.org.models import OpeningHours, SpecialDay

from .conftest import MONDAY_10, SHANGHAI
from .helpers import fill

MONDAY = MONDAY_10.date()


def at(hour, minute=0, day=MONDAY):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def local_windows(slots):
    return [(s.kind, s.window_start.astimezone(SHANGHAI).strftime("%H:%M"), s.window_end.astimezone(SHANGHAI).strftime("%H:%M")) for s in slots]


def test_r_s2_three_patrols_are_scheduled_from_the_opening_hours(org):
    slots = services.ensure_patrol_slots(org.hall_a, MONDAY)
    assert local_windows(slots) == [("opening", "08:00", "08:30"), ("peak", "09:00", "10:30"), ("closing", "17:00", "17:30")]
    assert services.ensure_patrol_slots(org.hall_a, MONDAY) == slots  # idempotent


def test_r_s2_a_late_opening_hall_gets_its_peak_patrol_after_opening(org):
    OpeningHours.objects.filter(hall=org.hall_b, weekday=MONDAY.weekday()).update(opens=dt.time(11, 0), closes=dt.time(19, 0))
    slots = services.ensure_patrol_slots(org.hall_b, MONDAY)
    assert local_windows(slots) == [("opening", "10:30", "11:00"), ("peak", "11:00", "12:30"), ("closing", "18:30", "19:00")]


def test_r_s2_no_patrols_on_a_closed_day_and_clock_defaults_are_configurable_per_hall(org):
    SpecialDay.objects.create(company=org.company, hall=org.hall_a, date=MONDAY, name="停业", closed=True)
    assert services.ensure_patrol_slots(org.hall_a, MONDAY) == []
    services.update_patrol_settings(hall=org.hall_b, by=org.user("leader_b"), peak_start="10:00", peak_end="11:15", before_opening_minutes="45")
    slots = services.ensure_patrol_slots(org.hall_b, MONDAY)
    assert local_windows(slots)[:2] == [("opening", "07:45", "08:30"), ("peak", "10:00", "11:15")]
    with pytest.raises(DomainError, match="早于结束时间"):
        services.update_patrol_settings(hall=org.hall_b, by=org.user("leader_b"), peak_start="12:00", peak_end="11:00")
    with pytest.raises(DomainError, match="HH:MM"):
        services.update_patrol_settings(hall=org.hall_b, by=org.user("leader_b"), peak_start="noon")


def test_r_s2_patrol_windows_are_pure_calendar_arithmetic():
    calendar = WorkingCalendar(tz=SHANGHAI, weekly={0: [(dt.time(8, 30), dt.time(12, 0)), (dt.time(13, 30), dt.time(17, 0))]})
    windows = patrol_windows(calendar, MONDAY, PatrolClock(before_closing_minutes=20))
    assert [(w.kind, w.start.strftime("%H:%M"), w.end.strftime("%H:%M")) for w in windows] == [
        ("opening", "08:00", "08:30"), ("peak", "09:00", "10:30"), ("closing", "16:40", "17:00"),
    ]
    assert patrol_windows(calendar, MONDAY + dt.timedelta(days=1)) == []


def test_r_s2_a_patrol_cannot_start_before_its_window(org, checklists, time_machine):
    time_machine.move_to(at(7, 50), tick=False)
    opening = services.ensure_patrol_slots(org.hall_a, MONDAY)[0]
    with pytest.raises(DomainError, match="08:00"):
        services.start_patrol(slot=opening, by=org.user("leader_a"))
    time_machine.move_to(at(8, 0), tick=False)
    inspection = services.start_patrol(slot=opening, by=org.user("leader_a"))
    assert inspection.kind == "patrol" and inspection.version.template.code == "patrol-opening"
    assert services.start_patrol(slot=opening, by=org.user("guide_a")) == inspection  # the second patroller joins the same record
    with pytest.raises(Forbidden):
        services.start_patrol(slot=opening, by=org.user("teller_a"))  # tellers do not patrol


def test_r_s2_missed_patrol_is_flagged_once_per_slot_when_its_window_ends(org, checklists, time_machine):
    sweep = SWEEPS["inspections.patrols"]
    time_machine.move_to(at(8, 29), tick=False)
    assert sweep() == 0
    assert PatrolSlot.objects.filter(business_day=MONDAY).count() == 6  # both halls laid out by the sweep
    time_machine.move_to(at(8, 30), tick=False)
    assert sweep() == 2  # the opening patrol of hall A and of hall B
    assert sweep() == 0  # once per slot, however often the worker runs
    time_machine.move_to(at(12, 0), tick=False)
    assert sweep() == 2
    slot = PatrolSlot.objects.get(hall=org.hall_a, business_day=MONDAY, kind="opening")
    assert slot.state == "missed" and slot.missed_at == at(8, 30)
    assert AuditEntry.objects.filter(action="patrol.missed", hall_id=org.hall_a.pk).count() == 2
    assert LiveEvent.objects.filter(hall_id=org.hall_a.pk, topic="inspections", kind="patrol_missed").count() == 2


def test_r_s2_a_patrol_done_in_its_window_is_not_flagged_and_a_late_one_is_marked_late(org, checklists, time_machine):
    leader = org.user("leader_a")
    sweep = SWEEPS["inspections.patrols"]
    time_machine.move_to(at(8, 5), tick=False)
    opening, peak, _closing = services.ensure_patrol_slots(org.hall_a, MONDAY)
    inspection = fill(services.start_patrol(slot=opening, by=leader), leader)
    time_machine.move_to(at(8, 20), tick=False)
    services.submit_inspection(inspection=inspection, by=leader)
    time_machine.move_to(at(9, 10), tick=False)
    late = fill(services.start_patrol(slot=peak, by=leader), leader)
    time_machine.move_to(at(10, 31), tick=False)
    sweep()
    time_machine.move_to(at(10, 40), tick=False)
    services.submit_inspection(inspection=late, by=leader)
    opening.refresh_from_db()
    peak.refresh_from_db()
    assert opening.state == "done" and opening.done_by == leader
    assert peak.state == "late"
    assert Inspection.objects.get(pk=inspection.pk).status == Inspection.Status.PUBLISHED


def test_r_s2_missed_patrol_shows_on_the_leaders_and_supervisors_home_and_is_explained(client, org, checklists, time_machine):
    time_machine.move_to(at(8, 31), tick=False)
    SWEEPS["inspections.patrols"]()
    client.force_login(org.user("leader_a"))
    home = client.get("/").content.decode()
    assert "漏检待说明" in home and "营业前巡检" in home
    client.force_login(org.user("supervisor_a"))
    home = client.get("/").content.decode()
    assert 'data-testid="panel-missed-patrols"' in home and "ha营业厅" in home and "hb营业厅" not in home  # only halls in scope
    slot = PatrolSlot.objects.get(hall=org.hall_a, business_day=MONDAY, kind="opening")
    client.force_login(org.user("leader_a"))
    client.post(f"/inspections/patrols/{slot.pk}/explain/", {"note": "班长参加公司会议"})
    slot.refresh_from_db()
    assert slot.missed_note == "班长参加公司会议" and slot.missed_noted_by == org.user("leader_a")
    assert "漏检待说明" not in client.get("/").content.decode()


def test_r_s2_patrol_page_offers_a_start_button_only_once_the_window_opened(client, org, checklists, time_machine):
    time_machine.move_to(at(8, 10), tick=False)
    client.force_login(org.user("leader_a"))
    page = client.get("/inspections/patrols/").content.decode()
    assert 'data-testid="start-opening"' in page and 'data-testid="start-peak"' not in page
    client.force_login(make_user("teller_x", ["teller"], halls=[org.hall_a]))
    assert 'data-testid="start-opening"' not in client.get("/inspections/patrols/").content.decode()


def test_r_s2_the_worker_runs_the_patrol_and_rectification_sweeps_from_startup():
    """`manage.py run_worker` sees only sweeps registered at start-up, not ones imported later by tests."""
    code = ("import django; django.setup(); from servicehall.core.deadlines import SWEEPS; "
            "print(' '.join(sorted(SWEEPS)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "servicehall.settings"})
    assert {"inspections.patrols", "inspections.tasks"} <= set(out.stdout.split())


def test_issue_11_3_reading_patrols_writes_nothing_and_shows_an_unswept_day_as_planned(client, org, checklists, time_machine):
    """`GET /api/inspections/patrols` once created slots for any date; the sweep then flagged them missed."""
    time_machine.move_to(at(7, 0), tick=False)
    client.force_login(org.user("leader_a"))
    tomorrow = MONDAY + dt.timedelta(days=1)
    answer = client.get("/api/inspections/patrols", {"hall_id": org.hall_a.pk, "day": tomorrow.isoformat()})
    assert answer.status_code == 200
    assert [(s["id"], s["kind"], s["state"]) for s in answer.json()] == [(None, "opening", "planned"), (None, "peak", "planned"),
                                                                          (None, "closing", "planned")]
    assert client.get("/inspections/patrols/").status_code == 200  # today's page, before the first sweep
    assert not PatrolSlot.objects.exists()
    for far in ("0001-01-01", "9999-12-31", (MONDAY + dt.timedelta(days=400)).isoformat()):
        refused = client.get("/api/inspections/patrols", {"hall_id": org.hall_a.pk, "day": far})
        assert refused.status_code == 400 and refused.json()["code"] == "date_out_of_range", far
    assert not PatrolSlot.objects.exists()

    SWEEPS["inspections.patrols"]()  # the sweep lays out today only
    assert set(PatrolSlot.objects.values_list("business_day", flat=True)) == {MONDAY}


def test_r_s2_a_patrol_still_only_planned_is_started_from_the_page(client, org, checklists, time_machine):
    time_machine.move_to(at(8, 10), tick=False)
    client.force_login(org.user("leader_a"))
    page = client.get("/inspections/patrols/").content.decode()
    assert 'data-testid="slot-opening" data-state="planned"' in page and 'name="kind" value="opening"' in page
    started = client.post("/inspections/patrols/start/", {"kind": "opening"})
    assert started.status_code == 302
    slot = PatrolSlot.objects.get(hall=org.hall_a, business_day=MONDAY, kind="opening")
    assert started["Location"] == f"/inspections/i/{slot.inspection_id}/" and PatrolSlot.objects.filter(hall=org.hall_a).count() == 3
    assert client.post("/inspections/patrols/start/", {"kind": "nonsense"}).status_code == 400


def test_issue_11_3_patrol_settings_are_read_without_a_row_and_written_by_the_first_change(client, org):
    from servicehall.inspections.models import PatrolSettings

    client.force_login(org.user("leader_a"))
    assert client.get("/inspections/patrols/settings/").status_code == 200
    assert services.patrol_settings_for(org.hall_a).before_opening_minutes == PatrolSettings().before_opening_minutes
    assert not PatrolSettings.objects.exists()
    services.update_patrol_settings(hall=org.hall_a, by=org.user("leader_a"), before_opening_minutes="25")
    assert PatrolSettings.objects.get(hall=org.hall_a).before_opening_minutes == 25
    assert AuditEntry.objects.filter(action="patrol.settings").count() == 1
