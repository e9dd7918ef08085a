"""Scope probes of the notices pages: the list takes no object id (it filters by the user's scope)."""

PROBES: dict = {}
EXEMPT: dict = {}
