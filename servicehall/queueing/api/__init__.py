"""Typed endpoints of the queueing domain (mounted at /api/queue/): schemas in `schemas`, operations in `handlers`."""
from .handlers import router

__all__ = ["router"]
