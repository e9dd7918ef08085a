"""Demo data of star service: the company's formula, and this quarter's reviews of the tellers of the halls
whose demo leaders exist (the any-hour hall included), so the pad, the board and the notice page show stars."""
from django.utils import timezone

from servicehall.org.selectors import holders_of

from . import selectors, services

DEMO_FORMULA = {"self_weight": 10, "peer_weight": 20, "leader_weight": 30, "customer_weight": 40, "points_per_flower": 2,
                "max_bonus": 10, "star1": 60, "star2": 70, "star3": 80, "star4": 90, "star5": 95}
# (self, peer, leader, bonus): differing people get differing levels
DEMO_SCORES = [(95, 92, 96, 5), (90, 85, 82, 0), (85, 78, 75, 0), (92, 90, 93, 3)]


def seed_stars(ctx):
    assessor = ctx.users.get("assessor")
    services.set_formula(company=ctx.company, values=DEMO_FORMULA, by=assessor)
    quarter = selectors.quarter_of(timezone.localdate())
    count = 0
    for leader_name in ("leader1", "leader24"):
        leader = ctx.users.get(leader_name)
        if leader is None:
            continue
        for hall in leader.halls.all():
            people = holders_of("stars.be_starred", hall=hall).order_by("username")
            for i, person in enumerate(people):
                s, p, lead, bonus = DEMO_SCORES[i % len(DEMO_SCORES)]
                services.record_review(person=person, hall=hall, quarter=quarter, self_score=s, peer_score=p, leader_score=lead,
                                       bonus=bonus, bonus_reason="主动为老年客户上门办理业务（演示）" if bonus else "", by=leader)
                count += 1
    ctx.log("stars", f"formula set, {count} star reviews this quarter")
