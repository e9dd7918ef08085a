"""Benchmark of the wait predictor against the classic predictors on simulated or recorded hall days."""
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from servicehall.waits import replay, simulator

AIM_MAE_RATIO = 0.6  # the aim: MAE at most 0.6 × LES's
AIM_COVERAGE = 0.8


class Command(BaseCommand):
    help = ("Simulate hall days (or read recorded ones with --csv), replay them through the wait predictor without "
            "peeking at the future, and print MAE and 80% range coverage against LES, HOL and QL.")

    def add_arguments(self, parser):
        parser.add_argument("--csv", help="replay these recorded days instead of simulating (the columns bench_wait writes)")
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "var" / "bench_wait.csv"),
                            help="where the simulated days are written (default var/bench_wait.csv)")
        parser.add_argument("--halls", type=int, default=4, help=f"simulated halls (1–{len(simulator.PROFILES)})")
        parser.add_argument("--days", type=int, default=28, help="simulated days per hall")
        parser.add_argument("--seed", type=int, default=16)
        parser.add_argument("--warmup", type=int, default=7, help="days per hall replayed for training only, not scored")
        parser.add_argument("--check", action="store_true", help="exit with an error when the aims are not met")
        parser.add_argument("--export", metavar="HALL_CODE", help="write that hall's recorded days (--days up to yesterday) to --out and stop")

    def handle(self, *args, csv, out, halls, days, seed, warmup, check, export=None, **options):
        started = time.monotonic()
        if export:
            self.export(export, days=days, out=Path(out))
            return
        if csv:
            path = Path(csv)
            if not path.exists():
                raise CommandError(f"{path} does not exist")
        else:
            if not 1 <= halls <= len(simulator.PROFILES) or days < warmup + 1:
                raise CommandError(f"--halls 1–{len(simulator.PROFILES)} and --days above --warmup ({warmup})")
            path = Path(out)
            path.parent.mkdir(parents=True, exist_ok=True)
            simulator.write_csv(simulator.simulate(halls=halls, days=days, seed=seed), path)
            self.stdout.write(f"simulated {halls} halls × {days} days → {path}")
        rows = replay.read_csv(path)
        result = replay.replay(rows, warmup_days=warmup)
        if not result.predictions:
            raise CommandError("nothing to score: the file has no customer with a known wait after the warm-up days")
        les = result.scores["LES"].mae
        self.stdout.write(f"\n{result.predictions} arrivals scored (after {warmup} warm-up days per hall), "
                          f"{result.trainings} nightly trainings, {1000 * result.seconds_predicting / result.predictions:.2f} ms per prediction\n")
        self.stdout.write(f"{'predictor':30} {'MAE (s)':>9} {'÷ LES':>7} {'80% range covers':>17} {'mean width (s)':>15}")
        for name, s in result.scores.items():
            coverage = f"{100 * s.coverage:.1f} %" if s.coverage is not None else "—"
            width = f"{s.mean_width:.0f}" if s.mean_width is not None else "—"
            self.stdout.write(f"{name:30} {s.mae:9.1f} {s.mae / les:7.3f} {coverage:>17} {width:>15}")
        self.stdout.write("\nper hall (MAE ÷ LES's; range coverage):")
        for hall, scores in result.per_hall.items():
            hall_les = scores["LES"].mae
            ratios = "  ".join(f"{name} {s.mae / hall_les:.2f}" for name, s in scores.items() if name != "LES")
            self.stdout.write(f"  {hall:14} LES {hall_les:6.0f} s  {ratios}  coverage {100 * scores['model'].coverage:.1f} %")
        model = result.scores["model"]
        ok = model.mae <= AIM_MAE_RATIO * les and model.coverage >= AIM_COVERAGE
        self.stdout.write(f"\naim (MAE ≤ {AIM_MAE_RATIO} × LES, coverage ≥ {AIM_COVERAGE:.0%}): {'met' if ok else 'NOT met'}"
                          f"  ({time.monotonic() - started:.1f} s)")
        if check and not ok:
            raise CommandError("the wait predictor missed its aim")

    def export(self, code, *, days, out):
        import datetime as dt

        from servicehall.org.models import Hall

        from ...recorded import hall_days

        hall = Hall.objects.filter(code=code).first()
        if hall is None:
            raise CommandError(f"no hall with the code {code!r}")
        last = hall.today() - dt.timedelta(days=1)
        rows = hall_days(hall, first=last - dt.timedelta(days=days - 1), last=last)
        out.parent.mkdir(parents=True, exist_ok=True)
        simulator.write_csv(rows, out)
        self.stdout.write(f"{sum(r['record'] == 'ticket' for r in rows)} tickets of {hall} over {days} days → {out}")
