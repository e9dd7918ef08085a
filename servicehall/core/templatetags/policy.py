"""`{% load policy %}{% may "cases.close" case as can_close %}`: templates ask the policy, never check roles."""
from django import template
from django.contrib.auth.models import AnonymousUser

from servicehall.core import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, action, obj=None):
    """Whether the page's actor may do `action` (to `obj`): the device a device page works for (`actor` in
    the context), else the signed-in person."""
    actor = context.get("actor")
    if actor is None:
        request = context.get("request")
        actor = getattr(request, "user", None) or AnonymousUser()
    return policy.may(actor, action, obj)
