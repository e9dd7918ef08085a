"""Where the secret key comes from: the environment, or for the demo only a local key generated once.

Imported by the settings, so it uses nothing that needs configured settings. There is no key in the
repository: with a public key anyone could forge a device cookie or a session.
"""
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

DEMO_FLAG = "SERVICEHALL_DEMO"
KEY_FILE = "SERVICEHALL_SECRET_KEY_FILE"  # where the demo keeps its key; default var/secret_key
# Django's own marker for keys not meant for production: `check --deploy` flags a demo key that reaches one.
DEMO_PREFIX = "django-insecure-"

MISSING = (
    "DJANGO_SECRET_KEY is not set. Production: set it to 50+ random characters. "
    "Demo: run `make demo` (or set SERVICEHALL_DEMO=1), which keeps a generated key in var/secret_key."
)


def is_set(environ, name: str) -> bool:
    return environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def secret_key(environ, *, base_dir: Path, secure: bool) -> str:
    """The key from DJANGO_SECRET_KEY; else, only when the demo says it is one, the demo's local key."""
    key = environ.get("DJANGO_SECRET_KEY", "")
    if key:
        return key
    if secure:
        raise ImproperlyConfigured("DJANGO_SECURE=1 needs DJANGO_SECRET_KEY (50+ random characters).")
    if not is_set(environ, DEMO_FLAG):
        raise ImproperlyConfigured(MISSING)
    return demo_secret_key(Path(environ.get(KEY_FILE) or base_dir / "var" / "secret_key"))


def demo_secret_key(path: Path) -> str:
    """Read the demo's key, generating it on first use (readable by its owner only).

    Kept across runs so signing in and device cookies survive a restart of `make demo`; two processes
    starting at once agree, because only one of them can create the file.
    """
    from django.core.management.utils import get_random_secret_key

    try:
        existing = path.read_text().strip()
    except FileNotFoundError:
        existing = ""
    if existing:
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    key = DEMO_PREFIX + get_random_secret_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process wrote it first: use theirs
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    return key
