"""`{% record_links obj %}`: the links other apps registered for this kind of record (core.registry.record_link)."""
from django import template

from servicehall.core.registry import links_for

register = template.Library()


@register.inclusion_tag("core/_record_links.html", takes_context=True)
def record_links(context, obj):
    request = context.get("request")
    return {"links": links_for(request, obj) if request is not None and obj is not None else []}
