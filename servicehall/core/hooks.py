"""Explicit hand-offs between domains, called inside the caller's transaction.

A domain that produces a fact (a 不满意 rating, a failed inspection item) calls `emit(name, **data)`;
a domain that acts on it registers a handler with `@on(name)` in its `registry.py`. Handlers run in
the producer's transaction, so the fact and its consequence commit together or not at all.
"""
from collections import defaultdict
from collections.abc import Callable

_HANDLERS: dict[str, list[Callable]] = defaultdict(list)


def on(name: str):
    def decorator(fn):
        if fn not in _HANDLERS[name]:
            _HANDLERS[name].append(fn)
        return fn

    return decorator


def emit(name: str, **data) -> list:
    return [handler(**data) for handler in list(_HANDLERS.get(name, ()))]
