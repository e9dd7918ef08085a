"""bench_api and bench_queue run end to end, tiny (issue #12): bench_api with its own database, production's
servers (granian for the API and uvicorn for the streams, or uvicorn alone) on loopback ports, devices driven
over HTTP, every figure printed, R-Q4 read back, everything cleaned up; bench_queue in the test database,
leaving nothing behind."""
import io

import pytest
from django.core.management import call_command
from django.db import connection

from servicehall.org.models import Hall


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("layout", ["split", "single"])
def test_bench_api_prints_every_figure_and_reads_r_q4_back(is_postgres, layout):
    if not is_postgres:
        pytest.skip("bench_api runs on PostgreSQL")
    out = io.StringIO()
    call_command("bench_api", halls=1, devices=4, seconds=1, warmup=0.5, workers=1, prefill=5, boards=3, board_calls=2,
                 layout=layout, stdout=out)
    text = out.getvalue()
    for figure in ("/healthz", "take", "call_next", "start", "finish", "ratio API ops ÷ empty-request ceiling",
                   "statements", "p50 ms", "p99 ms", "display boards during the API load", "aims:", "CPU per operation",
                   "halls per server at saturation"):
        assert figure in text, text
    assert ("granian --interface wsgi" in text and "uvicorn --workers 1 (streams)" in text) if layout == "split" else "uvicorn --workers 1" in text
    assert "double calls 0, skipped tickets 0, duplicate numbers 0; surge alerts opened 0 (thresholds out of reach); 5xx answers 0" in text, text
    assert "measurement failed" not in text, text
    # its database is gone and nothing of it was written into this one
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE %s", ["%_bench_api"])
        assert cursor.fetchone()[0] == 0
    assert not Hall.objects.filter(code__startswith="bench-api-").exists()


@pytest.mark.django_db(transaction=True)
def test_bench_queue_compares_the_orm_and_the_raw_paths_and_cleans_up(is_postgres):
    if not is_postgres:
        pytest.skip("bench_queue runs on PostgreSQL")
    out = io.StringIO()
    call_command("bench_queue", counters=2, tickets=10, kiosks=2, stdout=out)
    text = out.getvalue()
    assert "ratio ORM ÷ raw (ops/s)" in text and "R-Q4 holds: 0 double calls, 0 skipped tickets, 0 duplicate numbers." in text, text
    assert not Hall.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_bench_floor_prints_each_shape_of_a_bare_call_next_and_drops_its_schema(is_postgres):
    if not is_postgres:
        pytest.skip("bench_floor measures PostgreSQL")
    out = io.StringIO()
    call_command("bench_floor", transactions=400, stdout=out)  # enough for the backend to show clock ticks
    text = out.getvalue()
    rows = {line.split()[0]: line.split()[-5:] for line in text.splitlines() if line.startswith(("statements", "function"))}
    rows["one call"] = next(line.split()[-5:] for line in text.splitlines() if line.startswith("one call"))
    assert [rows[shape][0] for shape in ("statements", "function", "one call")] == ["9", "3", "1"], text
    for shape, (_trips, client, server, machine, per_second) in rows.items():
        assert float(machine) == pytest.approx(float(client) + float(server), abs=0.002), (shape, text)
        assert float(server) > 0 and float(per_second) > 0, (shape, text)
    assert "e / (e + machine)" in text
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'bench_floor'")
        assert cursor.fetchone()[0] == 0


def test_bench_floor_refuses_sqlite_and_an_empty_run(is_postgres):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="PostgreSQL" if not is_postgres else "at least 1"):
        call_command("bench_floor", transactions=0 if is_postgres else 20, stdout=io.StringIO())
