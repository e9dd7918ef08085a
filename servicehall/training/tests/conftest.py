import datetime as dt

import pytest

from servicehall.training import services


@pytest.fixture
def approver(org):
    """The service supervisor over hall A's region: approves what hall A's leader enters."""
    return org.user("supervisor_a")


@pytest.fixture
def approved_training(org, approver):
    """Make an approved training of `hall`, given by `by`, with `present` (and `absent`) people on its roster."""

    def make(*, hall=None, by=None, periods=24, present=(), absent=(), held_on=dt.date(2026, 3, 10), approve_by=None, scores=None):
        by = by or org.user("leader_a")
        t = services.plan_training(hall=hall or org.hall_a, by=by, title="服务礼仪", category="etiquette", held_on=held_on, periods=periods)
        rows = [{"person": p.pk, "present": True, "score": (scores or {}).get(p.username, 80)} for p in present]
        rows += [{"person": p.pk, "present": False} for p in absent]
        services.set_attendance(t, by=by, rows=rows)
        services.submit(t, by=by)
        return services.approve(t, by=approve_by or approver)

    return make
