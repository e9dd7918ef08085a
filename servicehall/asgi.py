"""ASGI entry point: pages, API and Server-Sent Events streams run under uvicorn."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")
application = get_asgi_application()
