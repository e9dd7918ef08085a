"""`{% publicity hall "board" %}` / `{% publicity hall "kiosk" %}`: what a hall screen shows now."""
from django import template
from django.conf import settings

from ..selectors import showing

register = template.Library()
DEFAULT_KIOSK_IDLE_SECONDS = 90  # *(design)* the kiosk shows publicity after this long untouched


@register.inclusion_tag("hallinfo/_publicity.html")
def publicity(hall, channel):
    return {"items": showing(hall, channel=channel) if hall else [], "channel": channel,
            "idle_seconds": getattr(settings, "SERVICEHALL_KIOSK_IDLE_SECONDS", DEFAULT_KIOSK_IDLE_SECONDS)}
