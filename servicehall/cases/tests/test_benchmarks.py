"""Benchmarks never share identifiers and count their data before timing (issue 10, part 7): a
bench_board set-up in the same database leaves bench_reports its full data, and bench_reports refuses
to time a region that does not hold what it was asked for."""
import io

import pytest
from django.core.management import CommandError, call_command

from servicehall.cases.models import Case
from servicehall.org.models import Hall, Region
from servicehall.queueing.models import Ticket

pytestmark = pytest.mark.django_db
SMALL = ["--halls", "3", "--tickets", "300", "--cases", "30"]


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_bench_reports_gets_its_full_data_after_bench_board_ran_in_the_same_database(is_postgres):
    if not is_postgres:
        pytest.skip("the benchmarks need PostgreSQL")
    board = run("bench_board", "--setup-only")
    assert "checked" in board
    output = run("bench_reports", *SMALL, "--setup-only")
    assert "3 halls, 300 tickets, 30 cases — checked" in output
    region = Region.objects.get(code__startswith="bench-reports")
    halls = Hall.objects.filter(region=region)
    assert halls.count() == 3
    assert Ticket.objects.filter(hall__in=halls).count() == 300
    assert Case.objects.filter(hall__in=halls).count() == 30
    assert not Hall.objects.filter(region=region, code="bench-board").exists()
    assert Region.objects.filter(code__startswith="bench-").values_list("code", flat=True).distinct().count() == 2, "no shared region"
    assert "checked" in run("bench_reports", *SMALL, "--setup-only"), "a second run reuses its own data"


def test_bench_reports_refuses_to_time_a_region_that_lost_data(is_postgres):
    if not is_postgres:
        pytest.skip("the benchmarks need PostgreSQL")
    run("bench_reports", *SMALL, "--setup-only")
    region = Region.objects.get(code__startswith="bench-reports")
    Case.objects.filter(hall__region=region)[:1].get().delete()
    with pytest.raises(CommandError, match="holds 3 halls, 300 tickets, 29 cases.*refusing to time it"):
        run("bench_reports", *SMALL, "--runs", "1")


def test_bench_reports_times_and_prints_the_figures_of_the_data_it_checked(is_postgres):
    if not is_postgres:
        pytest.skip("the benchmarks need PostgreSQL")
    output = run("bench_reports", *SMALL, "--runs", "1")
    assert "checked" in output and "median" in output and "tickets 300" in output and "total 30" in output
    assert "PDF as a background job: asked in" in output
