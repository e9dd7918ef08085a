"""Scope probes of the organisation: each names an object of hall B that a teller of hall A must not reach."""

PROBES = {
    "org:hall_detail": lambda org: {"hall_id": org.hall_b.pk},
    "servicehall_org_api_get_hall": lambda org: {"hall_id": org.hall_b.pk},
    "servicehall_org_api_list_counters": lambda org: {"hall_id": org.hall_b.pk},
    "servicehall_org_api_get_counter": lambda org: {"counter_id": org.counters_b[0].pk},
}
EXEMPT: dict = {}
