"""The background worker: runs every registered deadline sweep on a loop (safe with several workers)."""
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from servicehall.core.deadlines import run_sweeps


class Command(BaseCommand):
    help = "Run deadline sweeps (case steps, rectification tasks, patrols, queue surges) every --interval seconds."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=15.0)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval, once, **options):
        while True:
            close_old_connections()
            try:
                results = run_sweeps()
                acted = {k: v for k, v in results.items() if v}
                if acted:
                    self.stdout.write(f"sweeps: {acted}")
            except Exception as exc:  # keep the worker alive; the next round retries
                self.stderr.write(f"sweep failed: {exc!r}")
            if once:
                return
            time.sleep(interval)
