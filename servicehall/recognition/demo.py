"""Demo data of recognition: in the first demo hall, last month's service-star ballot voted by the team,
closed and published, one competition title awarded and a study note, so the team board has content."""
from servicehall.org.models import User

from . import defaults, services
from .models import Title


def seed_recognition(ctx):
    defaults.install(Title)
    leader = ctx.users.get("leader1")
    hall = next(iter(getattr(leader, "demo_halls", None) or ctx.halls[:1]), None) if leader else None
    if hall is None:
        return
    ballot = services.open_ballot(hall=hall, title=Title.objects.get(code="service_star"), by=leader)
    electorate = ballot.electorate
    for i, voter_id in enumerate(electorate):
        candidate = electorate[(i + 1) % len(electorate)] if i % 2 else electorate[0]
        if candidate != voter_id:
            services.cast_vote(ballot, by=User.objects.get(pk=voter_id), candidate_id=candidate)
    services.publish_ballot(services.close_ballot(ballot, by=leader), by=leader)
    services.award_title(hall=hall, title=Title.objects.get(code="installation_expert"), person_id=electorate[-1],
                         month=ballot.month, by=leader, note="当月完成低压居民新装 36 户，零差错")
    services.post_note(hall=hall, by=leader, title="供电服务“十项承诺”", body="本周学习：居民客户报装办电时间、故障抢修到达时限。")
    ctx.log("recognition", f"{hall.name}: service star of {ballot.month:%Y-%m} published")
