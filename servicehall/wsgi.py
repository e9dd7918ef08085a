"""WSGI entry point (admin-only deployments; live streams need the ASGI one)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")
application = get_wsgi_application()
