"""R-A3 star service on PostgreSQL: a review reads the customer score from the quarter's ratings and flowers and
keeps its formula; flowers go to the teller who served the visit, one per visit from the pad or the phone page,
also under concurrent posts; `star_level` is what other pages show."""
import threading
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.http import Http404

from servicehall.core.errors import Conflict, DomainError, Forbidden, NotFound
from servicehall.core.models import AuditEntry
from servicehall.org.models import Device
from servicehall.queueing import services as queue
from servicehall.queueing.tests.backend_fixtures import business, category
from servicehall.stars import selectors, services
from servicehall.stars.models import Flower, StarReview

from .fixtures import OPEN_MOMENT, QUARTER, open_counters, served_visit, set_formula


@pytest.fixture
def clock():
    with time_machine.travel(OPEN_MOMENT, tick=False) as traveller:
        yield traveller


def pad_of(org, counter):
    return Device.objects.create(hall=counter.hall, counter=counter, kind=Device.Kind.PAD, name=f"pad-{counter.pk}", token_hash=f"h{counter.pk}")


def review(org, **kw):
    args = {"person": org.user("teller_a"), "hall": org.hall_a, "quarter": QUARTER, "self_score": 90, "peer_score": 85,
            "leader_score": 90, "bonus": 2, "bonus_reason": "上门为行动不便客户办理", "by": org.user("leader_a"), **kw}
    return services.record_review(**args)


def test_r_a3_review_reads_the_customer_score_from_ratings_and_flowers_and_keeps_its_formula(org, clock):
    set_formula(org)
    counter = org.counters_a[0]
    open_counters(org, counter)
    pad = pad_of(org, counter)
    for score in ("satisfied", "satisfied", "basic", "dissatisfied"):
        ticket, service = served_visit(org, counter)
        queue.rate_service(service=service, score=score)
        if score == "satisfied":
            services.give_flower_at_counter(counter=counter, service_id=service.pk, device=pad)
        clock.shift(60)
    r = review(org)
    # customer = 3/4 × 100 + 2 flowers × 2 = 79.0; (90×10 + 85×20 + 90×30 + 79×40) ÷ 100 = 84.6; + 2 = 86.6 → 3 stars
    assert (r.rated, r.satisfied, r.flowers, r.customer_score, r.total, r.level) == (4, 3, 2, Decimal("79.0"), Decimal("86.6"), 3)
    assert r.formula["weights"] == {"self": 10, "peer": 20, "leader": 30, "customer": 40}
    set_formula(org, self_weight=25, customer_weight=25)  # a later formula leaves the recorded review as it was
    r.refresh_from_db()
    assert r.total == Decimal("86.6") and r.formula["weights"]["self"] == 10
    assert AuditEntry.objects.filter(action="stars.review").count() == 1
    assert selectors.star_level(org.user("teller_a")).level == 3


def test_r_a3_recording_again_replaces_the_quarters_review_with_an_audit_row(org, clock):
    set_formula(org)
    review(org)
    r = review(org, leader_score=100, bonus=0, bonus_reason="")
    assert StarReview.objects.count() == 1 and r.leader_score == Decimal("100.0") and r.bonus == 0
    assert AuditEntry.objects.filter(action="stars.review").count() == 2


def test_r_a3_review_refuses_bad_input_with_a_message(org, clock):
    with pytest.raises(DomainError) as exc:
        review(org)
    assert exc.value.code == "no_formula"
    set_formula(org)
    for kw, code in [({"self_score": 101}, "bad_score"), ({"peer_score": "abc"}, "bad_score"), ({"bonus": 11}, "bad_bonus"),
                     ({"bonus": 3, "bonus_reason": " "}, "bonus_reason")]:
        with pytest.raises(DomainError) as exc:
            review(org, **kw)
        assert exc.value.code == code, kw
    assert not StarReview.objects.exists()


def test_r_a3_only_the_halls_managers_review_its_own_people(org, clock):
    set_formula(org)
    with pytest.raises((Http404, NotFound, Forbidden)):
        review(org, by=org.user("leader_b"))
    with pytest.raises((Http404, NotFound, Forbidden)):
        review(org, by=org.user("teller_a"))
    with pytest.raises(NotFound):
        review(org, person=org.user("teller_b"))  # not a person of hall A
    assert not StarReview.objects.exists()


def test_r_a3_one_flower_per_visit_whichever_way_it_is_given(org, clock):
    counter = org.counters_a[0]
    open_counters(org, counter)
    pad = pad_of(org, counter)
    ticket, service = served_visit(org, counter)
    flower = services.give_flower_by_token(token=ticket.public_token)
    assert (flower.teller_id, flower.visit_id, flower.source) == (org.user("teller_a").pk, ticket.pk, "phone")
    with pytest.raises(Conflict) as exc:
        services.give_flower_at_counter(counter=counter, service_id=service.pk, device=pad)
    assert exc.value.code == "already_given"
    with pytest.raises(Conflict):
        services.give_flower_by_token(token=ticket.public_token)
    assert Flower.objects.count() == 1 and AuditEntry.objects.filter(action="stars.flower").count() == 1


def test_r_a3_a_transferred_visit_is_one_visit_its_flower_goes_to_who_served_last(org, clock):
    c1, _c2, c3 = org.counters_a
    open_counters(org, c1, c3)
    by = org.user("teller_a")
    paper = queue.take_ticket(hall=org.hall_a, category=category("A"))
    queue.call_next(counter=c1, by=by)
    queue.start_service(counter=c1, by=by)
    clock.shift(60)
    queue.transfer(counter=c1, by=by, to_category="B")
    queue.call_next(counter=c3, by=by)
    queue.start_service(counter=c3, by=by)
    service = queue.finish_service(counter=c3, by=by, business_types=[business("fee-electricity")])
    flower = services.give_flower_at_counter(counter=c3, service_id=service.pk, device=pad_of(org, c3))
    assert flower.visit_id == paper.pk and flower.service_id == service.pk
    with pytest.raises(Conflict):
        services.give_flower_by_token(token=paper.public_token)  # the paper's token: the same visit


def test_r_a3_a_pad_gives_flowers_only_for_its_own_counters_just_finished_service(org, clock):
    c1, c2 = org.counters_a[0], org.counters_a[1]
    open_counters(org, c1)
    pad1, pad2 = pad_of(org, c1), pad_of(org, c2)
    with pytest.raises(Conflict):
        services.give_flower_at_counter(counter=c1, device=pad1)  # nobody served yet
    ticket, service = served_visit(org, c1)
    with pytest.raises(Forbidden):
        services.give_flower_at_counter(counter=c1, service_id=service.pk, device=pad2)
    with pytest.raises(Conflict):
        services.give_flower_at_counter(counter=c1, service_id=service.pk + 999, device=pad1)
    clock.shift(3600)  # the customer has long left the desk: the pad no longer offers it
    with pytest.raises(Conflict):
        services.give_flower_at_counter(counter=c1, service_id=service.pk, device=pad1)
    assert not Flower.objects.exists()


def test_r_a3_the_phone_page_flower_waits_for_the_service_and_lasts_a_day(org, clock):
    counter = org.counters_a[0]
    open_counters(org, counter)
    waiting = queue.take_ticket(hall=org.hall_a, category=category("A"))
    with pytest.raises(Conflict):
        services.give_flower_by_token(token=waiting.public_token)
    ticket, _service = served_visit(org, counter)
    clock.shift(25 * 3600)
    with pytest.raises(Conflict):
        services.give_flower_by_token(token=ticket.public_token)
    with pytest.raises(NotFound):
        services.give_flower_by_token(token="00000000-0000-0000-0000-000000000000")


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="real concurrency needs PostgreSQL")
def test_r_a3_concurrent_flower_posts_of_one_visit_give_exactly_one_flower(tx_org):
    with time_machine.travel(OPEN_MOMENT, tick=True):
        counter = tx_org.counters_a[0]
        open_counters(tx_org, counter)
        pad = pad_of(tx_org, counter)
        ticket, service = served_visit(tx_org, counter)
        n = 8
        barrier, outcomes = threading.Barrier(n), []

        def post(i):
            try:
                barrier.wait()
                if i % 2:
                    services.give_flower_by_token(token=ticket.public_token)
                else:
                    services.give_flower_at_counter(counter=counter, service_id=service.pk, device=pad)
                outcomes.append("given")
            except Conflict as exc:
                outcomes.append(exc.code)
            except Exception as exc:  # reported below: any other failure must fail the test
                outcomes.append(repr(exc))
            finally:
                connection.close()

        threads = [threading.Thread(target=post, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert sorted(outcomes) == sorted(["given"] + ["already_given"] * (n - 1)), outcomes
    assert Flower.objects.filter(visit=ticket).count() == 1


def test_r_a3_star_level_is_the_latest_quarters_and_none_without_a_review(org, clock):
    set_formula(org)
    assert selectors.star_level(org.user("teller_a")) is None
    review(org, quarter=QUARTER.replace(month=1))
    with time_machine.travel(OPEN_MOMENT.replace(month=5), tick=False):
        review(org, quarter=QUARTER.replace(month=4), self_score=100, peer_score=100, leader_score=100)
    level = selectors.star_level(org.user("teller_a"))
    assert level.quarter.month == 4 and level.level == 5 and level.stars == "★★★★★"
    assert selectors.star_levels([org.user("teller_a").pk, org.user("teller_b").pk]).keys() == {org.user("teller_a").pk}
