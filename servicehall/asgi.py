"""ASGI entry point: pages, API and Server-Sent Events streams run under uvicorn."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")
application = get_asgi_application()

from servicehall.core.process_cache import start_listener  # noqa: E402  (needs the apps loaded above)

start_listener()  # this server process hears other processes' writes to cached rows
