"""ASGI entry point (uvicorn): live streams run on the event loop, every other request through Django's WSGI
handler in a thread pool (`core.dispatch`: a third of the CPU per request)."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")
django_asgi = get_asgi_application()

from servicehall.core.dispatch import SyncViewsOverWsgi  # noqa: E402  (needs the apps loaded above)
from servicehall.core.startup import prepare_server_process  # noqa: E402

prepare_server_process()
application = SyncViewsOverWsgi(django_asgi)
