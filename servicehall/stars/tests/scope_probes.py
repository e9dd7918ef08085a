"""Scope probes of star service (see core/tests/test_scope_walker.py): hall B's teller, whom hall A's leader must
not review (404), and hall B's counter, for which hall A's people and devices get no flower in the API."""
from servicehall.core.testing import Probe

_API = "servicehall_stars_api_"

PROBES = {
    "stars:review": Probe(lambda org: {"person_id": org.user("teller_b").pk}, user="leader_a"),
    _API + "flower_at_counter": Probe(lambda org: {"counter_id": org.counters_b[0].pk}, user="leader_a", method="post", data=lambda org: {}),
}
EXEMPT = {
    "stars:flower_public": "the customer's flower from their phone page: the unguessable ticket token is the key (no sign-in)",
    _API + "flower_by_token": "the customer's flower from the QR page by the unguessable ticket token (auth=None by design), once per visit",
}
