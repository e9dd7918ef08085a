"""The database's floor under one queue operation (issue #12): the machine CPU (this client's process plus its
PostgreSQL backend) of a call-next transaction with nothing else around it: no Django, no HTTP, no rule beyond
the statements themselves. It is a lower bound: its tables are narrower than the product's and have fewer
indexes, and its statements carry no business rule.

Three shapes of the same work (lock the counter, take the next waiting ticket with SKIP LOCKED, mark it called,
point the counter at it, write its event, audit entry and live outbox row):

- `statements`: one round trip per statement inside BEGIN … COMMIT, as the product sends them;
- `function`: the same statements in one PL/pgSQL function, called inside BEGIN … COMMIT;
- `one call`: that function alone in autocommit, one round trip in all: nothing can cost less.

An operation through HTTP costs at least an empty request plus one of these, so with `e` the machine CPU of an
empty request (from `bench_api`), no operation can reach a ratio to the empty-request ceiling above
`e ÷ (e + floor)`. The tables live in a schema of their own, dropped at the end.

    SERVICEHALL_DEMO=1 scripts/with_postgres.sh .venv/bin/python manage.py bench_floor
"""
import time

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from servicehall.core.pg import own_connection_params

from .bench_api import cpu_seconds  # the backend's CPU: PostgreSQL must run on this machine

SCHEMA = "bench_floor"
COUNTERS, HALLS = 64, 16

SETUP = f"""
CREATE SCHEMA {SCHEMA};
SET search_path = {SCHEMA};
CREATE TABLE counter (id serial PRIMARY KEY, hall int NOT NULL, serving int);
CREATE TABLE ticket (id serial PRIMARY KEY, hall int NOT NULL, status text NOT NULL, counter int, number int NOT NULL,
                     taken timestamptz NOT NULL DEFAULT now(), called timestamptz);
CREATE INDEX ON ticket (hall, status, id);
CREATE TABLE event (id bigserial PRIMARY KEY, ticket int NOT NULL, kind text NOT NULL, at timestamptz DEFAULT now(), payload jsonb);
CREATE TABLE audit (id bigserial PRIMARY KEY, actor int, verb text, target int, at timestamptz DEFAULT now(), detail jsonb);
CREATE TABLE outbox (id bigserial PRIMARY KEY, hall int, topic text, at timestamptz DEFAULT now(), payload jsonb);
INSERT INTO counter (hall) SELECT g % {HALLS} FROM generate_series(1, {COUNTERS}) g;
INSERT INTO ticket (hall, status, number) SELECT g % {HALLS}, 'waiting', g FROM generate_series(1, __TICKETS__) g;
CREATE FUNCTION call_next(c int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE h int; t int;
BEGIN
  SELECT hall INTO h FROM counter WHERE id = c FOR UPDATE;
  SELECT id INTO t FROM ticket WHERE hall = h AND status = 'waiting' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED;
  UPDATE ticket SET status = 'called', counter = c, called = now() WHERE id = t;
  UPDATE counter SET serving = t WHERE id = c;
  INSERT INTO event (ticket, kind, payload) VALUES (t, 'called', '{{"counter": 1}}');
  INSERT INTO audit (actor, verb, target, detail) VALUES (c, 'call_next', t, '{{"counter": 1}}');
  INSERT INTO outbox (hall, topic, payload) VALUES (h, 'queue', '{{"counter": 1}}');
  RETURN t;
END $$;
"""


def _by_statements(conn, c):
    with conn.transaction():
        h = conn.execute("SELECT hall FROM counter WHERE id = %s FOR UPDATE", (c,)).fetchone()[0]
        t = conn.execute("SELECT id FROM ticket WHERE hall = %s AND status = 'waiting' ORDER BY id LIMIT 1 "
                         "FOR UPDATE SKIP LOCKED", (h,)).fetchone()[0]
        conn.execute("UPDATE ticket SET status = 'called', counter = %s, called = now() WHERE id = %s", (c, t))
        conn.execute("UPDATE counter SET serving = %s WHERE id = %s", (t, c))
        payload = '{"counter": 1}'
        conn.execute("INSERT INTO event (ticket, kind, payload) VALUES (%s, 'called', %s) RETURNING id", (t, payload)).fetchone()
        conn.execute("INSERT INTO audit (actor, verb, target, detail) VALUES (%s, 'call_next', %s, %s) RETURNING id",
                     (c, t, payload)).fetchone()
        conn.execute("INSERT INTO outbox (hall, topic, payload) VALUES (%s, 'queue', %s) RETURNING id", (h, payload)).fetchone()


def _by_function(conn, c):
    with conn.transaction():
        conn.execute("SELECT call_next(%s)", (c,)).fetchone()


def _by_one_call(conn, c):
    conn.execute("SELECT call_next(%s)", (c,)).fetchone()


# name, run, autocommit, round trips (BEGIN and COMMIT are one each)
SHAPES = (("statements", _by_statements, False, 9), ("function", _by_function, False, 3), ("one call", _by_one_call, True, 1))


class Command(BaseCommand):
    help = "The machine CPU of a bare call-next transaction in three shapes: the database's floor under an operation."

    def add_arguments(self, parser):
        parser.add_argument("--transactions", type=int, default=20000, help="call-next transactions per shape")

    def handle(self, *args, transactions, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_floor measures PostgreSQL (run it under scripts/with_postgres.sh)")
        if transactions < 1:
            raise CommandError("--transactions must be at least 1")
        w = self.stdout.write
        w(f"bench_floor: {transactions} call-next transactions per shape, {COUNTERS} counters over {HALLS} halls, "
          f"PostgreSQL {connection.pg_version} on this machine; CPU per transaction in ms")
        w(f"{'shape':<12}{'round trips':>12}{'client':>9}{'PostgreSQL':>12}{'machine':>9}{'per s':>8}")
        params = own_connection_params()
        with psycopg.connect(**params, autocommit=True) as admin:
            try:
                for shape in SHAPES:
                    client, server, per_second = self._measure(params, admin, shape, transactions)
                    w(f"{shape[0]:<12}{shape[3]:>12}{client:>9.3f}{server:>12.3f}{client + server:>9.3f}{per_second:>8.0f}")
            finally:
                admin.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        w("An operation through HTTP costs at least an empty request (e, from bench_api) plus one of these, so its "
          "ratio to the empty-request ceiling cannot exceed e / (e + machine).")

    @staticmethod
    def _measure(params, admin, shape, transactions) -> tuple[float, float, float]:
        """One shape on tables of its own (a called ticket leaves a dead index entry the next shape would skip):
        client and PostgreSQL CPU per transaction in ms, and transactions per second."""
        name, run, autocommit, _round_trips = shape
        to_call = COUNTERS + transactions  # one warming call per counter, then the timed ones
        admin.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        # several statements in one simple query: no parameters, the number is written in (every hall's share of
        # the calls and a margin, so that no call finds its hall empty)
        admin.execute(SETUP.replace("__TICKETS__", str(int(to_call + COUNTERS * HALLS))))
        admin.execute(f"ANALYZE {SCHEMA}.ticket")
        waiting = admin.execute(f"SELECT count(*) FROM {SCHEMA}.ticket WHERE status = 'waiting'").fetchone()[0]
        if waiting < to_call:
            raise CommandError(f"{name}: {waiting} tickets waiting, fewer than the {to_call} to call")
        # every statement prepared from its first use, as the product's connections prepare theirs
        with psycopg.connect(**params, autocommit=autocommit, prepare_threshold=0, options=f"-c search_path={SCHEMA}") as conn:
            backend = conn.info.backend_pid
            for c in range(1, COUNTERS + 1):  # warm: plans prepared and caches filled before the clock starts
                run(conn, c)
            client0, server0, wall0 = time.process_time(), cpu_seconds(backend), time.perf_counter()
            for i in range(transactions):
                run(conn, i % COUNTERS + 1)
            wall = time.perf_counter() - wall0
            client = (time.process_time() - client0) / transactions * 1000
            server = (cpu_seconds(backend) - server0) / transactions * 1000
        called = admin.execute(f"SELECT count(*) FROM {SCHEMA}.ticket WHERE status = 'called'").fetchone()[0]
        if called != to_call:
            raise CommandError(f"{name}: {called} tickets called, not {to_call}")
        return client, server, transactions / wall
