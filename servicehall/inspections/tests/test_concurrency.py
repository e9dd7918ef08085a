"""Races on PostgreSQL with real threads: two people starting the same patrol at once end up with one
record and no error."""
import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from servicehall.inspections import services
from servicehall.inspections.models import Inspection, PatrolSlot


def race(n, fn):
    barrier, results, errors = threading.Barrier(n), [], []

    def run(i):
        try:
            barrier.wait()
            results.append(fn(i))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results, errors


@pytest.fixture
def pg(tx_org):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and unique races need PostgreSQL")
    services.load_checklists()
    return tx_org


def test_r_s2_two_patrollers_starting_one_patrol_share_one_record(pg):
    now = timezone.now()
    slot = PatrolSlot.objects.create(hall=pg.hall_a, business_day=pg.hall_a.today(), kind="opening",
                                     window_start=now - dt.timedelta(minutes=5), window_end=now + dt.timedelta(hours=1))
    people = [pg.user("leader_a"), pg.user("guide_a")] * 3
    results, errors = race(6, lambda i: services.start_patrol(slot=slot, by=people[i]).pk)
    assert errors == [] and len(set(results)) == 1
    assert Inspection.objects.filter(kind="patrol").count() == 1
