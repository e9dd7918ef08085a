"""Navigation of the page shell (the hall switcher and role labels come from org.context_processors)."""
from django.urls import NoReverseMatch, reverse

from .registry import NAV, NAV_GROUPS


def shell(request):
    """`nav_sections`: the sections a person has entries in, in the bar's order, each linking to its first entry
    (a section of one entry is shown by that entry's own name); `nav_section_items`: the entries of the section
    the page belongs to, for the row under the bar (none on the home page or in a section of one entry)."""
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
        items.append({"key": item.key, "label": item.label, "url": url, "icon": item.icon, "group": item.group,
                      "active": request.path.startswith(url) and url != "/"})
    # Only the most specific entry is active (/cases/reports/… is the report's, not also the case list's).
    longest = max((len(i["url"]) for i in items if i["active"]), default=0)
    for i in items:
        i["active"] = i["active"] and len(i["url"]) == longest
    sections = []
    for key, label in NAV_GROUPS.items():
        entries = [i for i in items if i["group"] == key]
        if entries:
            sections.append({"key": key, "label": entries[0]["label"] if len(entries) == 1 else label, "url": entries[0]["url"],
                             "items": entries, "active": any(i["active"] for i in entries)})
    current = next((s for s in sections if s["active"]), None)
    return {"nav_sections": sections, "nav_section_items": current["items"] if current and len(current["items"]) > 1 else []}
