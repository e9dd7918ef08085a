"""Opening hours kept (R-S5): a hall requests its own hours, the customer service centre approves or refuses,
the approved hours drive the clocks (the kiosk refuses outside them), and late opening / early closing is
detected from the queue's records."""
import datetime as dt
import json
import urllib.error
import urllib.request

import pytest
import time_machine
from django.urls import reverse

from servicehall.core.errors import Conflict, DomainError, Forbidden
from servicehall.core.figures import Period
from servicehall.core.models import AuditEntry
from servicehall.core.testing import MONDAY_MORNING, device_token
from servicehall.org.models import OpeningHours
from servicehall.queueing import services as queue
from servicehall.standards import services
from servicehall.standards.hours_kept import hours_kept
from servicehall.standards.models import HoursRequest

pytestmark = pytest.mark.django_db
T = dt.time
# Hall A (08:30–17:30 every day) asks for afternoons only on weekdays and a short Saturday.
AFTERNOONS = [(d, T(13, 0), T(17, 0)) for d in range(5)] + [(5, T(9, 0), T(12, 0))]


def _request(org, weekly=AFTERNOONS):
    return services.request_hours(hall=org.hall_a, by=org.user("leader_a"), weekly=weekly, reason="偏远山区，客户集中在下午")


def test_r_s5_approval_replaces_the_halls_hours_and_the_kiosk_refuses_outside_them(client, org):
    calendar = org.hall_a.calendar()  # cached before the approval: the approval must drop it
    assert calendar.is_open_at(MONDAY_MORNING)
    req = _request(org)
    assert org.hall_a.calendar().is_open_at(MONDAY_MORNING)  # a request alone changes nothing
    services.approve_hours(request=req, by=org.user("supervisor_a"), note="同意")
    req.refresh_from_db()
    assert (req.status, req.decided_by) == ("approved", org.user("supervisor_a"))
    rows = list(OpeningHours.objects.filter(hall=org.hall_a).values_list("weekday", "opens", "closes"))
    assert sorted(rows) == AFTERNOONS
    assert AuditEntry.objects.filter(action="org.opening_hours", hall_id=org.hall_a.pk).exists()
    assert AuditEntry.objects.filter(action="standards.hours_approve", object_id=str(req.pk)).exists()
    kiosk = {"HTTP_AUTHORIZATION": f"Bearer {device_token(org.hall_a)}"}
    with time_machine.travel(MONDAY_MORNING, tick=False):  # Monday 10:00: inside the old hours, outside the new
        r = client.post("/api/queue/tickets", data=json.dumps({"category": "A"}), content_type="application/json", **kiosk)
        assert r.status_code == 409 and r.json()["code"] == "hall_closed"
    with time_machine.travel(MONDAY_MORNING.replace(hour=14), tick=False):
        r = client.post("/api/queue/tickets", data=json.dumps({"category": "A"}), content_type="application/json", **kiosk)
        assert r.status_code == 201, r.content


def test_r_s5_the_kiosk_through_a_live_server_follows_the_approved_hours(asgi_server, tx_org):
    """The device's own path: plain HTTP with its bearer token, no session, no CSRF."""
    req = _request(tx_org, weekly=[(d, T(0, 0), T(9, 0)) for d in range(7)])
    services.approve_hours(request=req, by=tx_org.user("supervisor_a"))
    token = device_token(tx_org.hall_a)
    with time_machine.travel(MONDAY_MORNING, tick=True):  # 10:00, after the new closing time
        call = urllib.request.Request(f"{asgi_server.url}/api/queue/tickets", data=json.dumps({"category": "A"}).encode(), method="POST",
                                      headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(call, timeout=10)
        assert refused.value.code == 409 and json.loads(refused.value.read())["code"] == "hall_closed"


def test_r_s5_only_the_halls_managers_request_and_only_the_service_centre_decides(org):
    with pytest.raises(Forbidden):
        services.request_hours(hall=org.hall_a, by=org.user("teller_a"), weekly=AFTERNOONS, reason="x")
    from django.http import Http404

    from servicehall.core.errors import NotFound
    with pytest.raises((NotFound, Http404)):
        services.request_hours(hall=org.hall_b, by=org.user("leader_a"), weekly=AFTERNOONS, reason="x")  # not their hall
    req = _request(org)
    with pytest.raises(Forbidden):
        services.approve_hours(request=req, by=org.user("leader_a"))  # the requester's own line may not approve
    with pytest.raises(NotFound):
        services.approve_hours(request=req, by=org.user("leader_b"))
    with pytest.raises(NotFound):
        services.approve_hours(request=req, by=User_of_region_b(org))  # a supervisor over another region
    services.refuse_hours(request=req, by=org.user("supervisor_all"), note="人手足够，维持全天营业")
    req.refresh_from_db()
    assert req.status == "refused"
    with pytest.raises(Conflict):
        services.approve_hours(request=req, by=org.user("supervisor_all"))  # decided once
    assert set(OpeningHours.objects.filter(hall=org.hall_a).values_list("opens", flat=True)) == {T(8, 30)}


def User_of_region_b(org):  # noqa: N802  (reads as the role it makes)
    from servicehall.core.testing import make_user

    return make_user("supervisor_b", ["supervisor"], regions=[org.region_b])


def test_r_s5_bad_requests_are_refused_with_a_reason(org):
    with pytest.raises(DomainError) as overlap:
        _request(org, weekly=[(0, T(8, 0), T(12, 0)), (0, T(11, 0), T(17, 0))])
    assert overlap.value.code == "overlapping_hours"
    with pytest.raises(DomainError):
        _request(org, weekly=[(0, T(17, 0), T(8, 0))])
    with pytest.raises(DomainError):
        _request(org, weekly=[])
    with pytest.raises(DomainError):
        services.refuse_hours(request=_request(org), by=org.user("supervisor_a"), note=" ")
    with pytest.raises(Conflict):
        _request(org)  # one pending request per hall


def _day(org, clock, *, first_open, last_close, last_ticket=None):
    """A hand-made Monday of hall A (08:30–17:30): counter 1 signs on at `first_open`, takes a ticket at
    `last_ticket`, and every counter has signed off by `last_close` (local times)."""
    at = lambda t: MONDAY_MORNING.replace(hour=t.hour, minute=t.minute)  # noqa: E731
    counter, teller = org.counters_a[0], org.user("teller_a")
    clock.move_to(at(first_open))
    queue.open_counter(counter=counter, by=teller)
    if last_ticket:
        clock.move_to(at(last_ticket))
        queue.take_ticket(hall=org.hall_a, category=counter.categories.first())
        queue.call_next(counter=counter, by=teller)
        queue.start_service(counter=counter, by=teller)
        from servicehall.catalogue.models import BusinessType
        queue.finish_service(counter=counter, by=teller, business_types=[BusinessType.objects.first()])
    clock.move_to(at(last_close))
    queue.close_counter(counter=counter, by=teller)


def test_r_s5_late_opening_and_early_closing_are_flagged_from_the_records(org):
    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        _day(org, clock, first_open=T(8, 52), last_close=T(16, 40), last_ticket=T(15, 10))
        clock.move_to(MONDAY_MORNING.replace(hour=20))
        [monday] = hours_kept(org.hall_a, Period.day(MONDAY_MORNING.date()))
    assert monday.flagged and not monday.not_opened
    assert monday.late_minutes == 22  # 08:52 against 08:30
    assert monday.early_minutes == 50  # 16:40 against 17:30
    assert monday.tickets_stopped_minutes == 140  # last ticket 15:10
    assert (monday.first_opened.hour, monday.first_opened.minute) == (8, 52)


def test_r_s5_a_day_kept_within_the_grace_is_not_flagged_and_a_day_running_is_judged_on_what_passed(org):
    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        _day(org, clock, first_open=T(8, 34), last_close=T(17, 27), last_ticket=T(17, 0))
        clock.move_to(MONDAY_MORNING.replace(hour=20))
        [monday] = hours_kept(org.hall_a, Period.day(MONDAY_MORNING.date()))
        assert not monday.flagged
        tuesday = MONDAY_MORNING + dt.timedelta(days=1)
        clock.move_to(tuesday.replace(hour=8, minute=33))
        assert hours_kept(org.hall_a, Period.day(tuesday.date())) == [] or not hours_kept(org.hall_a, Period.day(tuesday.date()))[0].flagged
        clock.move_to(tuesday.replace(hour=9))
        [running] = hours_kept(org.hall_a, Period.day(tuesday.date()))
        assert running.not_opened and not running.early_minutes  # closing has not come yet


def test_r_s5_the_kept_page_lists_the_day_expected_and_actual_for_leader_and_supervisor(client, org):
    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        _day(org, clock, first_open=T(9, 0), last_close=T(17, 29), last_ticket=T(17, 10))
        clock.move_to(MONDAY_MORNING.replace(hour=20))
        for user in ("leader_a", "supervisor_a"):
            client.force_login(org.user(user))
            html = client.get(reverse("standards:hours_kept"), {"month": "2026-03"}).content.decode()
            assert 'data-testid="day-2026-03-02" data-state="flagged"' in html
            assert "08:30–17:30" in html and "09:00" in html and "迟开 30 分钟" in html
        client.force_login(org.user("teller_a"))
        assert client.get(reverse("standards:hours_kept")).status_code == 403
        before = AuditEntry.objects.count()
        client.force_login(org.user("leader_a"))
        assert client.get(reverse("standards:hours_kept"), {"month": "bad"}).status_code == 200
        assert AuditEntry.objects.count() == before  # computed by read


def test_r_s5_the_pages_request_and_decide_with_form_errors_not_500(client, org):
    client.force_login(org.user("leader_a"))
    bad = client.post(reverse("standards:hours"), {"opens_0": "13:00", "reason": "x"})
    assert bad.status_code == 400 and "请同时填写开门和关门时间" in bad.content.decode()
    inverted = client.post(reverse("standards:hours"), {"opens_0": "17:00", "closes_0": "08:00", "reason": "x"})
    assert inverted.status_code == 400 and "开门时间须早于关门时间" in inverted.content.decode()
    ok = client.post(reverse("standards:hours"), {"opens_0": "13:00", "closes_0": "17:00", "reason": "下午营业"})
    assert ok.status_code == 302
    req = HoursRequest.objects.get()
    assert client.post(reverse("standards:hours_decide", args=[req.pk]), {"action": "approve"}).status_code == 403
    client.force_login(org.user("supervisor_a"))
    assert f'data-testid="pending-{req.pk}"' in client.get(reverse("standards:hours")).content.decode()
    refused = client.post(reverse("standards:hours_decide", args=[req.pk]), {"action": "refuse", "note": ""})
    assert refused.status_code == 400 and "不批准时请写明理由" in refused.content.decode()
    assert client.post(reverse("standards:hours_decide", args=[req.pk]), {"action": "nonsense"}).status_code == 400
    assert client.post(reverse("standards:hours_decide", args=[req.pk]), {"action": "approve"}).status_code == 302
    assert list(OpeningHours.objects.filter(hall=org.hall_a).values_list("weekday", "opens")) == [(0, T(13, 0))]


def test_r_s5_hours_pages_in_english(client, org):
    from servicehall.core.testing import english

    english(client, org.user("leader_a"))
    assert "Request new opening hours" in client.get(reverse("standards:hours")).content.decode()
    html = client.get(reverse("standards:hours_kept")).content.decode()
    assert "Hours kept" in html and "First counter opened" in html and "满时营业" not in html


def test_r_s5_a_service_started_counts_as_a_counter_open_when_no_sign_on_was_recorded(org):
    """History loaded in bulk (the demo's, an import) has services but no sign-on rows."""
    from servicehall.core.models import AuditEntry as Audit

    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        _day(org, clock, first_open=T(8, 31), last_close=T(17, 29), last_ticket=T(8, 40))
        Audit.objects.filter(action="queue.counter_open").delete()
        clock.move_to(MONDAY_MORNING.replace(hour=20))
        [monday] = hours_kept(org.hall_a, Period.day(MONDAY_MORNING.date()))
    assert not monday.not_opened and monday.late_minutes == 10  # the first service began 08:40


def test_r_s5_the_home_panel_shows_the_weeks_flagged_days_to_the_hall_leader(client, org):
    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        _day(org, clock, first_open=T(9, 0), last_close=T(17, 29), last_ticket=T(17, 10))
        clock.move_to(MONDAY_MORNING.replace(hour=20))
        client.force_login(org.user("leader_a"))
        html = client.get("/").content.decode()
        assert 'data-testid="panel-day-2026-03-02"' in html and "迟开 30 分钟" in html
        client.force_login(org.user("teller_a"))
        assert 'data-testid="panel-hours-kept"' not in client.get("/").content.decode()
