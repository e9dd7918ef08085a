"""Races on PostgreSQL with real threads: two hosts opening the same meeting at once end up with one
record and no error."""
from servicehall.inspections.tests.test_concurrency import race
from servicehall.onsite import services
from servicehall.onsite.models import Meeting


def test_r_s1_two_hosts_opening_the_same_meeting_get_the_same_one(pg):
    hosts = [pg.user("leader_a"), pg.user("supervisor_a")] * 2
    results, errors = race(4, lambda i: services.open_meeting(hall=pg.hall_a, kind="morning", by=hosts[i]).pk)
    assert errors == [] and len(set(results)) == 1
    assert Meeting.objects.count() == 1
    assert Meeting.objects.get().attendance.count() == 4
