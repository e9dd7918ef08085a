"""Shared pieces used by every domain: hall scoping, audit, working calendar, deadlines, live events."""
