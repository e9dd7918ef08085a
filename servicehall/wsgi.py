"""WSGI entry point (admin-only deployments; live streams need the ASGI one)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")
application = get_wsgi_application()

from servicehall.core.startup import prepare_server_process  # noqa: E402  (needs the apps loaded above)

prepare_server_process()
