"""The worker runs every app's sweeps, whatever was imported before it started."""
import subprocess
import sys

from django.conf import settings


def test_worker_discovers_the_sweeps_of_every_app():
    # A fresh interpreter, as `manage.py run_worker` starts: only AppConfig.ready has run.
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'servicehall.settings'); django.setup();"
        "from servicehall.core.deadlines import discover_sweeps; print(' '.join(sorted(discover_sweeps())))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.BASE_DIR, check=True).stdout.split()
    for name in ["cases.deadline_warnings", "cases.deadlines", "cases.escalation", "inspections.patrols", "inspections.tasks",
                 "queue.over_limit", "queue.surge", "queue.day_end", "core.export_jobs_purge"]:
        assert name in out
