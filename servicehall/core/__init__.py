"""Shared domain-free mechanisms used by every domain: audit, working calendar, deadlines, live events, errors, exports, the shell."""
