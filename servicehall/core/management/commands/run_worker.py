"""The background worker: every registered deadline sweep on a loop, and the export jobs people wait for
(safe with several workers: sweeps and jobs are claimed by conditional UPDATEs)."""
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from servicehall.core import jobs
from servicehall.core.deadlines import run_sweeps

JOB_TICK = 1.0  # a person waits on the page for an export: look for new jobs every second, sweep less often


class Command(BaseCommand):
    help = "Run deadline sweeps (case steps, rectification tasks, patrols, queue surges) every --interval seconds, export jobs every second."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=15.0)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval, once, **options):
        next_sweep = 0.0
        while True:
            close_old_connections()
            if time.monotonic() >= next_sweep:
                next_sweep = time.monotonic() + interval
                self.guarded("sweep", self.sweep)
            self.guarded("export jobs", jobs.run_pending)
            if once:
                return
            time.sleep(min(JOB_TICK, interval))

    def sweep(self):
        acted = {k: v for k, v in run_sweeps().items() if v}
        if acted:
            self.stdout.write(f"sweeps: {acted}")

    def guarded(self, what, fn):
        try:
            fn()
        except Exception as exc:  # keep the worker alive; the next round retries
            self.stderr.write(f"{what} failed: {exc!r}")
