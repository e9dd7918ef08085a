"""Navigation of the page shell (the hall switcher and role labels come from org.context_processors)."""
from django.urls import NoReverseMatch, reverse

from .registry import NAV


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for item in sorted(NAV.values(), key=lambda i: (i.order, i.key)):
        if not item.visible_for(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"key": item.key, "label": item.label, "url": url, "icon": item.icon, "active": request.path.startswith(url) and url != "/"})
    # Only the most specific entry is active (/cases/reports/… is the report's, not also the case list's).
    longest = max((len(i["url"]) for i in items if i["active"]), default=0)
    for i in items:
        i["active"] = i["active"] and len(i["url"]) == longest
    return {"nav_items": items}
