"""What a server process does once, before its first request (called by the ASGI and WSGI entry points)."""
from django.urls import get_resolver

from .process_cache import start_listener


def prepare_server_process():
    """Listen for other processes' cache drops, and populate the URL resolver: the first `reverse()` builds
    the reverse maps of every included URLconf (about a hundred), and under load every request thread
    that arrives before one build has finished builds them again (issue #12: 5–9 % of a worker's CPU in
    the first seconds after a start, measured with py-spy)."""
    start_listener()
    get_resolver().app_dict  # noqa: B018  (the property builds the maps for the default language)
