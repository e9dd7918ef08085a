"""Production settings come from the environment and pass Django's deployment checks; there is no
public secret key: without DJANGO_SECRET_KEY only the demo starts, with a key of its own."""
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from servicehall.core.secret_key import DEMO_PREFIX, demo_secret_key, secret_key

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DJANGO_SECRET_KEY": "k3!x9-s3rv1ceha11-pr0d-" + "q7Zr8vLm2NwT5yHc4JdP6sFb1GkXe0Ua",
    "DJANGO_ALLOWED_HOSTS": "hall.example.com",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://hall.example.com",
    "DJANGO_SECURE": "1",
    "DATABASE_URL": "postgres://servicehall:secret@db.example.com:5432/servicehall",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SERVICEHALL_")) and k != "DATABASE_URL"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_demo_settings(tmp_path):
    demo = {"SERVICEHALL_DEMO": "1", "SERVICEHALL_SECRET_KEY_FILE": str(tmp_path / "secret_key")}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=demo)
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout  # the demo's generated key is marked insecure


def test_r_p1_the_server_refuses_to_start_without_a_key_unless_it_is_the_demo():
    """Issue #11.5: with the key that used to be in the repository anyone could forge a device cookie."""
    result = manage("check", env={})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr and "make demo" in result.stderr
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        secret_key({}, base_dir=ROOT, secure=False)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECURE=1 needs DJANGO_SECRET_KEY"):
        secret_key({"SERVICEHALL_DEMO": "1"}, base_dir=ROOT, secure=True)  # production is never a demo
    assert secret_key({"DJANGO_SECRET_KEY": "from-the-environment"}, base_dir=ROOT, secure=True) == "from-the-environment"


def test_the_demo_generates_its_key_once_readable_by_its_owner_only_and_reuses_it(tmp_path):
    path = tmp_path / "var" / "secret_key"
    first = demo_secret_key(path)
    assert first.startswith(DEMO_PREFIX) and len(first) >= 50 + len(DEMO_PREFIX)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert demo_secret_key(path) == first
    assert secret_key({"SERVICEHALL_DEMO": "1"}, base_dir=tmp_path, secure=False) == first  # var/secret_key under the base

    # and through the real settings, as `make demo` starts them twice
    demo = {"SERVICEHALL_DEMO": "1", "SERVICEHALL_SECRET_KEY_FILE": str(path)}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    runs = [manage("shell", "-v", "0", "-c", code, env=demo) for _ in range(2)]
    assert [r.stdout.strip() for r in runs] == [first, first], runs[0].stderr
    other = tmp_path / "elsewhere"
    assert demo_secret_key(other) != first  # each demo machine has its own


def test_the_demo_commands_say_they_are_the_demo(tmp_path):
    env = {"SERVICEHALL_SECRET_KEY_FILE": str(tmp_path / "secret_key")}
    result = manage("run_demo", "--help", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").exists()


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_the_database_comes_from_database_url():
    code = "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['HOST'], d['NAME'])"
    result = manage("shell", "-v", "0", "-c", code, env=PRODUCTION)
    assert result.stdout.split() == ["django.db.backends.postgresql", "db.example.com", "servicehall"], result.stderr


def test_postgresql_prepares_the_statements_a_connection_sends_again_unless_told_not_to():
    code = ("from django.conf import settings; o = settings.DATABASES['default'].get('OPTIONS', {}); "
            "print(o.get('server_side_binding'), o.get('prepare_threshold'))")
    assert manage("shell", "-v", "0", "-c", code, env=PRODUCTION).stdout.split() == ["True", "2"]
    off = manage("shell", "-v", "0", "-c", code, env=PRODUCTION | {"DJANGO_DB_PREPARED": "0"})
    assert off.stdout.split() == ["None", "None"], off.stderr


@pytest.mark.django_db
def test_a_query_a_connection_sends_again_is_prepared_in_postgresql():
    from django.db import connection

    from servicehall.org.models import Hall

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for _ in range(3):  # sent twice as it is, prepared on the third time
        assert not Hall.objects.filter(name="no such hall").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(re.search(r'FROM "org_hall" WHERE "org_hall"\."name" = \$\d', s) for s in prepared), prepared
