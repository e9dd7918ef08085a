"""Start the demo: the ASGI server (pages, API, live streams) and the background worker together."""
import os
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

from servicehall.core.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Run uvicorn and the worker for the demo; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host, port, **options):
        from servicehall.org.models import User

        env = dict(os.environ)
        procs = [
            subprocess.Popen([sys.executable, "-m", "uvicorn", "servicehall.asgi:application", "--host", host, "--port", str(port), "--no-access-log"], env=env),
            subprocess.Popen([sys.executable, "manage.py", "run_worker"], env=env),
        ]
        self.stdout.write(self.style.SUCCESS(f"servicehall demo: http://{host}:{port}/  (Ctrl-C to stop)"))
        self.stdout.write(f"Demo sign-ins (password {DEMO_PASSWORD}):")
        for user in User.objects.filter(username__in=["admin", "supervisor", "assessor", "mystery", "leader1", "teller1a", "guide1", "security1", "head3"]).prefetch_related("role_grants"):
            roles = "、".join(g.get_role_display() for g in user.role_grants.all())
            self.stdout.write(f"  {user.username:<12} {roles}")
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs:
                if p.poll() is None:
                    p.terminate()
            for p in procs:
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
