"""Scope probes of the wait pages: the forecast page takes `?hall=` (checked by require_hall), no path id."""

PROBES: dict = {}
EXEMPT = {
    "waits:watch": "the customer's phone page leaves a number for their own ticket; the unguessable ticket token is the key (no sign-in)",
}
