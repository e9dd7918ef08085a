"""A server of the product in a subprocess on a loopback port: what the benchmarks (bench_api) and the
live-server tests start, so both run granian and uvicorn exactly as production does."""
import http.client
import os
import signal
import socket
import subprocess
import sys
import time

HOST = "127.0.0.1"


def free_port(host: str = HOST) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def database_url(settings: dict, *, name: str | None = None) -> str:
    """A `DATABASE_URL` for these connection settings (a socket folder or a host), optionally another database."""
    host = settings.get("HOST") or settings.get("OPTIONS", {}).get("host") or os.environ.get("PGHOST", "")
    port = settings.get("PORT") or settings.get("OPTIONS", {}).get("port") or os.environ.get("PGPORT") or 5432
    return f"postgres://{settings.get('USER') or ''}@/{name or settings['NAME']}?host={host}&port={port}"


def answers(port: int, path: str = "/healthz") -> bool:
    conn = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


class ServerProcess:
    """`python -m <args> --host 127.0.0.1 --port <free port>` in a process group of its own, started and
    waited for until `/healthz` answers; `stop()` ends the whole group (the server's workers too)."""

    def __init__(self, args: list[str], env: dict, *, stdout=None):
        self.args, self.env, self.stdout = args, env, stdout
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.proc = None

    def start(self, timeout: float = 60.0) -> "ServerProcess":
        cmd = [sys.executable, "-m", *self.args, "--host", HOST, "--port", str(self.port)]
        self.proc = subprocess.Popen(cmd, env=self.env, stdout=self.stdout, stderr=subprocess.STDOUT if self.stdout else None,
                                     start_new_session=True)
        deadline = time.time() + timeout
        while not answers(self.port):
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError(f"{self.args[0]} did not start" + (f"; see {self.stdout.name}" if self.stdout else ""))
            time.sleep(0.1)
        return self

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
