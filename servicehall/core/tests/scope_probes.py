"""Scope probes of the shell (see test_scope_walker.py): core's own pages take no object id."""

EXEMPT = {
    "admin:*": "Django admin: only staff (is_staff) reach it, and administrators see every hall by design",
}
PROBES: dict = {}
