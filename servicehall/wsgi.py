"""WSGI entry point (granian `--interface wsgi`): pages and the API in production, beside the ASGI entry that
serves the live streams (README, production layout; a stream sent here would hold a thread per open board).

Behind the reverse proxy the peer is the proxy: as uvicorn's `--proxy-headers` does, the client's address and
scheme are taken from `X-Forwarded-For` / `X-Forwarded-Proto` when the peer is a trusted proxy
(`SERVICEHALL_TRUSTED_PROXIES`, comma-separated, default 127.0.0.1) — sign-in throttling counts by address."""
import os

from django.core.wsgi import get_wsgi_application
from granian.utils.proxies import wrap_wsgi_with_proxy_headers

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")
django_wsgi = get_wsgi_application()

from servicehall.core.startup import prepare_server_process  # noqa: E402  (needs the apps loaded above)

prepare_server_process()
application = wrap_wsgi_with_proxy_headers(
    django_wsgi, trusted_hosts=[h.strip() for h in os.environ.get("SERVICEHALL_TRUSTED_PROXIES", "127.0.0.1").split(",") if h.strip()]
)
