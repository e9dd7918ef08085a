"""Start the demo: the ASGI server (pages, API, live streams) and the background worker together."""
import os
import signal
import socket
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from servicehall.core.demo import DEMO_PASSWORD
from servicehall.org.models import User

# One sign-in per role, in the order a visitor would try them.
DEMO_SIGN_INS = ["teller1a", "guide1", "leader1", "security1", "head3", "supervisor", "assessor", "mystery", "admin"]


def wait_for_port(host, port, timeout=60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, int(port)), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


class Command(BaseCommand):
    help = "Run uvicorn and the worker for the demo; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-worker", action="store_true", help="serve pages only, without the deadline and video workers")

    def handle(self, *args, host, port, no_worker, **options):
        if not port_is_free(host, port):
            raise CommandError(f"port {port} on {host} is already in use; run `make demo PORT=…` with another port")
        env = dict(os.environ)
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "servicehall.asgi:application", "--host", host, "--port", str(port),
                 "--no-access-log", "--lifespan", "off", "--timeout-graceful-shutdown", "3"],
                env=env,
            )
        ]
        if not no_worker:
            procs.append(subprocess.Popen([sys.executable, "manage.py", "run_worker"], env=env))
            # The video analysis worker is its own process: analysing a clip takes seconds of CPU.
            procs.append(subprocess.Popen([sys.executable, "manage.py", "run_video_worker"], env=env))

        def stop(*_):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            if not wait_for_port(host, port) or procs[0].poll() is not None:
                raise CommandError("the ASGI server did not start; see the messages above")
            self.print_sign_ins(host, port)
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

    def print_sign_ins(self, host, port):
        users = {u.username: u for u in User.objects.filter(username__in=DEMO_SIGN_INS).prefetch_related("role_grants", "halls", "regions")}
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"servicehall is serving at http://{host}:{port}/  (Ctrl-C to stop)"))
        if not users:
            self.stdout.write("No demo users yet: run `python manage.py seed_demo`.")
            return
        self.stdout.write(f"Demo sign-ins, one per role (password {DEMO_PASSWORD}):")
        for username in DEMO_SIGN_INS:
            user = users.get(username)
            if user is None:
                continue
            roles = "、".join(g.get_role_display() for g in user.role_grants.all())
            scope = "、".join([h.name for h in user.halls.all()] + [r.name for r in user.regions.all()]) or "全部营业厅"
            self.stdout.write(f"  {username:<11} {roles:<8}\t{scope}")
        self.print_any_hour_walk(host, port)
        self.stdout.flush()

    def print_any_hour_walk(self, host, port):
        """Where to walk one whole visit whatever the time: the demo hall that never closes."""
        from servicehall.org.demo import ANY_HOUR_HALL, ANY_HOUR_STAFF
        from servicehall.org.models import Hall

        hall = Hall.objects.filter(code=ANY_HOUR_HALL[1]).first()
        if hall is None:
            return
        base, leader, teller = f"http://{host}:{port}", f"leader{ANY_HOUR_STAFF}", f"teller{ANY_HOUR_STAFF}a"
        self.stdout.write("")
        self.stdout.write(f"Walk a whole visit at any hour in {hall.name} (open around the clock; the other halls keep real hours).")
        self.stdout.write(f"Sign in as {leader} (hall leader: every screen below) or {teller} (the console), password {DEMO_PASSWORD}:")
        for step, path in [
            ("1 kiosk: take a ticket", f"/queue/kiosk/?hall={hall.pk}"),
            ("2 console: call, start, finish", f"/queue/console/?hall={hall.pk}"),
            ("3 display board", f"/queue/board/?hall={hall.pk}"),
            ("4 evaluation pad: rate it", f"/queue/pad/?hall={hall.pk}"),
            ("5 hall live view", f"/queue/live/?hall={hall.pk}"),
        ]:
            self.stdout.write(f"  {step:<32}{base}{path}")


def port_is_free(host, port) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, int(port)))
        except OSError:
            return False
    return True
