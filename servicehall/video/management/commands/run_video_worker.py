"""The video analysis worker: its own process, claiming analysis jobs one at a time (two workers never
analyse one clip twice). The cheap sweeps (planning, retention, stale jobs) run in `run_worker`."""
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from servicehall.video import services


class Command(BaseCommand):
    help = "Analyse queued video clips (etiquette checks, R-V2); --once stops when the queue is empty."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=10.0, help="seconds to wait when the queue is empty")
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval, once, **options):
        while True:
            close_old_connections()
            claimed = services.claim_jobs(limit=1)
            for pk in claimed:
                job = services.run_job(pk)
                speed = f", {job.video_seconds / job.wall_seconds:.1f}× real time" if job.wall_seconds and job.video_seconds else ""
                self.stdout.write(f"job {pk}: {job.get_status_display()} {job.findings_count} findings{speed}{' ' + job.error if job.error else ''}")
            if not claimed:
                if once:
                    return
                time.sleep(interval)
