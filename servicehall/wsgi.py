"""WSGI entry point (admin-only deployments; live streams need the ASGI one)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")
application = get_wsgi_application()

from servicehall.core.process_cache import start_listener  # noqa: E402  (needs the apps loaded above)

start_listener()  # this server process hears other processes' writes to cached rows
