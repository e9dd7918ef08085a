"""Star service in other apps' templates (the pad, the board, the customer's phone page), so those apps
need no import of stars: `{% star_of person %}`, `{% faces_of rows as faces %}` + `{% face faces id %}`,
`{% star_text level %}`, `{% pad_flower counter %}`, `{% public_flower ticket token %}`."""
from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def star_text(level) -> str:
    level = int(level or 0)
    return "★" * level + "☆" * (5 - level)


@register.inclusion_tag("stars/_face.html")
def star_of(person, size="lg"):
    """One person's star level and photo (the pad's teller)."""
    pk = getattr(person, "pk", None)
    return {"face": selectors.faces([pk]).get(pk) if pk else None, "size": size}


@register.simple_tag
def faces_of(rows):
    """Star level and photo of the people on a list (board rows with `teller_id`), in two queries."""
    return selectors.faces(r.get("teller_id") for r in rows)


@register.filter
def get_face(faces, person_id):
    return faces.get(person_id)


@register.inclusion_tag("stars/_face.html")
def face(faces, person_id, size="md"):
    return {"face": faces.get(person_id), "size": size}


@register.inclusion_tag("stars/_pad_flower.html")
def pad_flower(counter):
    return {"counter": counter, "service": selectors.flowerable_at_counter(counter), "given": False}


@register.inclusion_tag("stars/_public_flower.html", takes_context=True)
def public_flower(context, ticket, token):
    flower = selectors.flower_for_visit(ticket)
    service = None if flower else selectors.flowerable_by_visit(ticket)
    return {"flower": flower, "service": service, "token": token, "csrf_token": context.get("csrf_token")}
