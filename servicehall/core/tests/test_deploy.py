"""Production settings come from the environment and pass Django's deployment checks."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DJANGO_SECRET_KEY": "k3!x9-s3rv1ceha11-pr0d-" + "q7Zr8vLm2NwT5yHc4JdP6sFb1GkXe0Ua",
    "DJANGO_ALLOWED_HOSTS": "hall.example.com",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://hall.example.com",
    "DJANGO_SECURE": "1",
    "DATABASE_URL": "postgres://servicehall:secret@db.example.com:5432/servicehall",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_demo_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={})
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout  # the built-in demo key is marked insecure


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_the_database_comes_from_database_url():
    code = "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['HOST'], d['NAME'])"
    result = manage("shell", "-v", "0", "-c", code, env=PRODUCTION)
    assert result.stdout.split() == ["django.db.backends.postgresql", "db.example.com", "servicehall"], result.stderr
