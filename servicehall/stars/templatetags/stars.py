"""Star service in other apps' templates (the pad, the board, the customer's phone page), so those apps
need no import of stars: `{% star_of person %}`, `{% star_text level %}`, `{% pad_flower counter %}`,
`{% public_flower ticket token %}`."""
from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def star_text(level) -> str:
    level = int(level or 0)
    return "★" * level + "☆" * (5 - level)


@register.inclusion_tag("stars/_stars.html")
def star_of(person, levels=None):
    """A person's star level; `levels` (from `star_levels_of`) saves a query per person on a list."""
    if levels is not None:
        return {"star": levels.get(getattr(person, "pk", None))}
    return {"star": selectors.star_level(person)}


@register.simple_tag
def star_levels_of(people):
    """The star levels of a list of people (or of dicts with a `teller`), in one query: for `star_of … levels`."""
    ids = [getattr(p, "pk", None) or getattr(p.get("teller") if isinstance(p, dict) else None, "pk", None) for p in people]
    return selectors.star_levels([i for i in ids if i])


@register.inclusion_tag("stars/_pad_flower.html")
def pad_flower(counter):
    return {"counter": counter, "service": selectors.flowerable_at_counter(counter), "given": False}


@register.inclusion_tag("stars/_public_flower.html", takes_context=True)
def public_flower(context, ticket, token):
    flower = selectors.flower_for_visit(ticket)
    service = None if flower else selectors.flowerable_by_visit(ticket)
    return {"flower": flower, "service": service, "token": token, "csrf_token": context.get("csrf_token")}
