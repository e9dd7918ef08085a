"""Typed endpoints of the queueing domain."""
from ninja import Router

router = Router(tags=["queueing"])
