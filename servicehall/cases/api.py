"""Typed endpoints of the cases domain."""
from ninja import Router

router = Router(tags=["cases"])
