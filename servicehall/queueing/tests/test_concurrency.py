"""R-Q4 under real concurrency on PostgreSQL: 32+ threads, each with its own database connection,
never call one ticket twice, never skip one, and never share a ticket number. Also: the call-next
statement walks the partial index in ORDER BY order, and the call-next path stays a handful of queries."""
import datetime as dt
import threading
from collections import Counter as Tally

import pytest
import time_machine
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from servicehall.org.models import Counter
from servicehall.queueing import selectors, services
from servicehall.queueing.models import Service, Ticket, TicketEvent

from .backend_fixtures import OPEN_MOMENT, category, open_counters

THREADS = 32
needs_postgres = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks and real concurrency need PostgreSQL")


@pytest.fixture
def ticking_clock():
    with time_machine.travel(OPEN_MOMENT, tick=True):
        yield


def run_threads(n, target):
    """Start `n` threads at once (barrier); each gets its own connection, closed when it ends."""
    barrier = threading.Barrier(n)
    errors = []

    def body(i):
        try:
            barrier.wait()
            target(i)
        except Exception as exc:  # reported below: a thread's failure must fail the test
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a worker thread hung"
    assert not errors, errors[:5]


def many_counters(org, n):
    """`n` open counters in hall A, each handling A and B."""
    cats = [category("A"), category("B")]
    counters = []
    for i in range(n):
        c = Counter.objects.create(hall=org.hall_a, number=100 + i, name=f"{100 + i}号窗口")
        c.categories.set(cats)
        counters.append(c)
    open_counters(org, *counters)
    return counters


def bulk_tickets(hall, n, *, prefixes="AB", status="waiting", start=OPEN_MOMENT - dt.timedelta(hours=1), first_number=0):
    rows = []
    cats = {p: category(p) for p in set(prefixes)}
    numbers = Tally({p: first_number for p in prefixes})
    for i in range(n):
        p = prefixes[i % len(prefixes)]
        numbers[p] += 1
        rows.append(Ticket(
            hall=hall, business_day=OPEN_MOMENT.date(), category=cats[p], number=numbers[p], code=f"{p}{numbers[p]:03d}",
            priority=20 if i % 17 == 0 else 0, priority_reason="elderly" if i % 17 == 0 else "none",
            queue_at=start + dt.timedelta(seconds=i), issued_at=start + dt.timedelta(seconds=i), status=status,
        ))
    return Ticket.objects.bulk_create(rows, batch_size=1000)


@needs_postgres
def test_r_q4_two_counters_never_get_the_same_ticket_and_none_is_skipped(tx_org, ticking_clock):
    org = tx_org
    counters = many_counters(org, THREADS)
    tickets = bulk_tickets(org.hall_a, 20 * THREADS)
    teller = org.user("teller_a")
    served: list[list[int]] = [[] for _ in range(THREADS)]

    def work(i):
        counter = type(counters[i]).objects.get(pk=counters[i].pk)  # a fresh object per thread
        while True:
            ticket = services.call_next(counter=counter, by=teller)
            if ticket is None:
                return
            served[i].append(ticket.pk)
            services.start_service(counter=counter, by=teller)
            services.finish_service(counter=counter, by=teller, business_types=[], outcome="refused")

    run_threads(THREADS, work)

    called = [pk for lst in served for pk in lst]
    double_calls = len(called) - len(set(called))
    skipped = Ticket.objects.filter(status="waiting").count()
    assert double_calls == 0
    assert skipped == 0
    assert sorted(called) == sorted(t.pk for t in tickets)
    per_ticket = Tally(TicketEvent.objects.filter(kind=TicketEvent.Kind.CALLED).values_list("ticket_id", flat=True))
    assert set(per_ticket.values()) == {1}, "every ticket was called exactly once"
    assert Service.objects.count() == len(tickets) and not Service.objects.filter(finished_at__isnull=True).exists()
    assert sum(1 for lst in served if lst) > THREADS // 2, "the work was really shared between the counters"


@needs_postgres
def test_r_q4_kiosks_and_counters_at_once_lose_and_double_nothing(tx_org, ticking_clock):
    """8 kiosks take tickets while 32 counters call; counters stop once the kiosks are done and the queue is empty."""
    org = tx_org
    counters = many_counters(org, THREADS)
    teller = org.user("teller_a")
    kiosks, per_kiosk = 8, 25
    done_taking = threading.Event()
    remaining_kiosks = [kiosks]
    lock = threading.Lock()
    served: list[list[int]] = [[] for _ in range(THREADS)]

    def work(i):
        if i < kiosks:
            hall = type(org.hall_a).objects.get(pk=org.hall_a.pk)
            for n in range(per_kiosk):
                services.take_ticket(hall=hall, category="AB"[n % 2])
            with lock:
                remaining_kiosks[0] -= 1
                if remaining_kiosks[0] == 0:
                    done_taking.set()
            return
        j = i - kiosks
        counter = type(counters[j]).objects.get(pk=counters[j].pk)
        while True:
            ticket = services.call_next(counter=counter, by=teller)
            if ticket is None:
                if done_taking.is_set() and not Ticket.objects.filter(status="waiting").exists():
                    return
                continue
            served[j].append(ticket.pk)
            services.start_service(counter=counter, by=teller)
            services.finish_service(counter=counter, by=teller, business_types=[], outcome="refused")

    run_threads(THREADS + kiosks, work)

    called = [pk for lst in served for pk in lst]
    assert len(called) == len(set(called)) == kiosks * per_kiosk
    assert not Ticket.objects.filter(status="waiting").exists()
    numbers = list(Ticket.objects.values_list("category__prefix", "number"))
    assert len(numbers) == len(set(numbers)) == kiosks * per_kiosk


@needs_postgres
def test_r_q4_concurrent_take_ticket_gives_distinct_numbers(tx_org, ticking_clock):
    org = tx_org
    per_thread = 15

    def work(i):
        hall = type(org.hall_a).objects.get(pk=org.hall_a.pk)
        for _ in range(per_thread):
            services.take_ticket(hall=hall, category="A")

    run_threads(THREADS, work)
    numbers = sorted(Ticket.objects.values_list("number", flat=True))
    assert numbers == list(range(1, THREADS * per_thread + 1)), "distinct and without gaps"
    assert len(set(Ticket.objects.values_list("code", flat=True))) == THREADS * per_thread


@needs_postgres
def test_r_q4_the_call_next_statement_walks_the_partial_index_in_order(org):
    with time_machine.travel(OPEN_MOMENT, tick=False):
        bulk_tickets(org.hall_a, 4000, prefixes="ABCDE")
        bulk_tickets(org.hall_b, 2000, prefixes="ABCDE")
        bulk_tickets(org.hall_a, 3000, prefixes="AB", status="done", first_number=5000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE queueing_ticket")
        counter = org.counters_a[1]  # A and B
        open_counters(org, counter)
        with CaptureQueriesContext(connection) as ctx:
            assert services.call_next(counter=counter, by=org.user("teller_a")) is not None
        picks = [q["sql"] for q in ctx.captured_queries if "SKIP LOCKED" in q["sql"]]
        assert len(picks) == 1, [q["sql"] for q in ctx.captured_queries]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + picks[0])
            plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "ticket_call_next_idx" in plan, plan
    assert "Sort" not in plan, "the index order is the call order: no sort of the waiting tickets\n" + plan
    assert "LockRows" in plan and "Limit" in plan, plan


def test_r_q4_the_call_next_path_stays_a_handful_of_queries(org):
    with time_machine.travel(OPEN_MOMENT, tick=False):
        counter = org.counters_a[0]
        teller = org.user("teller_a")
        open_counters(org, counter)
        for p in "ABAB":
            services.take_ticket(hall=org.hall_a, category=p)
        teller.role_codes  # noqa: B018  (the user's roles and scope are cached per request, as in the API)
        services.call_next(counter=counter, by=teller)
        services.start_service(counter=counter, by=teller)
        services.finish_service(counter=counter, by=teller, business_types=[], outcome="refused")
        with CaptureQueriesContext(connection) as ctx:
            services.call_next(counter=counter, by=teller)
    sql = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    # lock the counter state (with the busy check), pick, conditional update, event, audit, waiting counts, outbox
    assert len(sql) == 7, "\n".join(sql)


@needs_postgres
def test_a_restart_mid_day_loses_no_ticket(tx_org):
    """Everything is in the database: drop every connection and object, and the queue carries on."""
    org = tx_org
    with time_machine.travel(OPEN_MOMENT, tick=True):
        c1 = org.counters_a[0]
        open_counters(org, c1)
        for p in "AAB":
            services.take_ticket(hall=org.hall_a, category=p)
        called = services.call_next(counter=c1, by=org.user("teller_a"))
        connections.close_all()
        counter = Counter.objects.get(pk=c1.pk)

        state = selectors.console_state(counter)
        assert state.ticket.pk == called.pk and state.state_code == "open" and state.waiting == 2
        services.start_service(counter=counter, by=org.user("teller_a"))
        services.finish_service(counter=counter, by=org.user("teller_a"), business_types=[], outcome="refused")
        assert services.call_next(counter=counter, by=org.user("teller_a")).code == "A002"
