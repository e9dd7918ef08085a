"""Scope probes of star service (see core/tests/test_scope_walker.py): hall B's teller, whom hall A's leader must
not review (404), and hall B's counter, for which hall A's people and devices get no flower in the API."""
from servicehall.core.testing import Probe

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def photo_b(org):
    """Hall B's teller with a photo."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from servicehall.stars import services

    teller = org.user("teller_b")
    services.set_photo(person=teller, hall=org.hall_b, upload=SimpleUploadedFile("p.png", PNG, "image/png"), by=org.user("admin"))
    return {"person_id": teller.pk}

_API = "servicehall_stars_api_"

PROBES = {
    "stars:review": Probe(lambda org: {"person_id": org.user("teller_b").pk}, user="leader_a"),
    "stars:photo": Probe(photo_b, user="teller_a"),
    "stars:photo_upload": Probe(lambda org: {"person_id": org.user("teller_b").pk}, user="leader_a", method="post"),
    _API + "flower_at_counter": Probe(lambda org: {"counter_id": org.counters_b[0].pk}, user="leader_a", method="post", data=lambda org: {}),
}
EXEMPT = {
    "stars:flower_public": "the customer's flower from their phone page: the unguessable ticket token is the key (no sign-in)",
    _API + "flower_by_token": "the customer's flower from the QR page by the unguessable ticket token (auth=None by design), once per visit",
}
