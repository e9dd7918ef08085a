"""Settings of the test suite: the product's own, with a secret key made for this run.

The key goes into the environment before the settings read it, so the processes the tests start
(workers, benchmark clients) inherit the same one. Nothing here is ever a server's key.
"""
import os
import secrets

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-" + secrets.token_urlsafe(48))

from servicehall.settings import *  # noqa: E402,F403
