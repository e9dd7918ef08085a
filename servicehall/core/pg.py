"""Connections of the product's own beside Django's (PostgreSQL only): LISTEN, benchmarks' admin work."""
from django.db import connections


def own_connection_params(alias: str = "default") -> dict:
    """psycopg's connect() arguments for the database `alias`, without what only Django's connections use
    (its cursor factory and context, the pool, server-side binding and prepared statements)."""
    params = connections[alias].get_connection_params()
    for key in ("cursor_factory", "context", "prepare_threshold", "pool", "server_side_binding"):
        params.pop(key, None)
    return params
