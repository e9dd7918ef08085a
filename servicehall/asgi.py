"""ASGI entry point: pages, API and Server-Sent Events streams run under uvicorn."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")
application = get_asgi_application()

from servicehall.core.startup import prepare_server_process  # noqa: E402  (needs the apps loaded above)

prepare_server_process()
