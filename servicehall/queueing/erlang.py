"""Erlang C (M/M/c) arithmetic for the surge recommendation (R-Q9): how many counters serve a share
of customers within a target wait, given the arrival rate and the mean service time."""
import math


def erlang_b(servers: int, traffic: float) -> float:
    """Blocking probability with `servers` and offered `traffic` (Erlangs), by the stable recursion."""
    if servers < 0 or traffic < 0:
        raise ValueError("servers and traffic must be non-negative")
    b = 1.0
    for k in range(1, servers + 1):
        b = traffic * b / (k + traffic * b)
    return b


def erlang_c(servers: int, traffic: float) -> float:
    """Probability that an arriving customer has to wait (1.0 when the queue is unstable)."""
    if servers <= 0:
        return 1.0
    if traffic <= 0:
        return 0.0
    if traffic >= servers:
        return 1.0
    b = erlang_b(servers, traffic)
    return servers * b / (servers - traffic * (1 - b))


def service_level(servers: int, arrival_rate: float, mean_service_seconds: float, target_seconds: float) -> float:
    """Share of customers whose wait is at most `target_seconds`: 1 − C·e^(−(cμ−λ)t)."""
    if arrival_rate <= 0:
        return 1.0
    if mean_service_seconds <= 0:
        return 1.0
    mu = 1.0 / mean_service_seconds
    traffic = arrival_rate / mu
    if servers <= traffic:
        return 0.0
    c = erlang_c(servers, traffic)
    return max(0.0, 1.0 - c * math.exp(-(servers * mu - arrival_rate) * target_seconds))


def mean_wait_seconds(servers: int, arrival_rate: float, mean_service_seconds: float) -> float:
    """Average wait in the queue (∞ when unstable); the waits app's staffing advice reads it."""
    if arrival_rate <= 0:
        return 0.0
    mu = 1.0 / mean_service_seconds
    traffic = arrival_rate / mu
    if servers <= traffic:
        return math.inf
    return erlang_c(servers, traffic) / (servers * mu - arrival_rate)


def servers_needed(arrival_rate: float, mean_service_seconds: float, *, target_seconds: float, target_share: float, max_servers: int = 200) -> int:
    """Smallest number of servers meeting the service level (at least 1 when anyone arrives)."""
    if arrival_rate <= 0 or mean_service_seconds <= 0:
        return 0
    traffic = arrival_rate * mean_service_seconds
    c = max(1, math.floor(traffic) + 1)
    while c <= max_servers:
        if service_level(c, arrival_rate, mean_service_seconds, target_seconds) >= target_share:
            return c
        c += 1
    return max_servers
