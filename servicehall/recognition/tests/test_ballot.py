"""R-A4 the service star of the month: the team's secret ballot at the start of the month for the last — one
vote per member (a unique constraint, raced on PostgreSQL), never for oneself, no way to read who voted for
whom (participation and content apart), the tally shown only after the ballot closes, the winners published."""
import threading

import pytest
from django.db import connection, connections

from servicehall.core.errors import Conflict, DomainError, Forbidden
from servicehall.core.models import AuditEntry, LiveEvent
from servicehall.core.testing import make_user
from servicehall.recognition import selectors, services
from servicehall.recognition.models import Award, Ballot, BallotEvent, Participation, VoteCount

from .conftest import FEBRUARY, titles


def _open(org, star):
    return services.open_ballot(hall=org.hall_a, title=star, by=org.user("leader_a"))


def test_r_a4_the_ballot_at_the_start_of_the_month_elects_last_month_with_the_halls_roster(org, star, clock):
    ballot = _open(org, star)
    assert ballot.month == FEBRUARY and ballot.status == "open"
    roster = {org.user(k).pk for k in ("teller_a", "leader_a", "guide_a", "security_a")}
    assert set(ballot.electorate) == roster, "the electorate is hall A's roster, nobody of hall B nor the supervisor"
    assert set(VoteCount.objects.filter(ballot=ballot).values_list("candidate_id", flat=True)) == roster
    assert list(ballot.events.values_list("kind", flat=True)) == [BallotEvent.Kind.OPENED]
    with pytest.raises(Conflict):
        _open(org, star)  # one ballot per hall, title and month


def test_r_a4_only_elected_titles_have_a_ballot_and_only_managers_open_one(org, star, clock):
    with pytest.raises(DomainError):
        services.open_ballot(hall=org.hall_a, title=titles()["installation_expert"], by=org.user("leader_a"))
    with pytest.raises(Forbidden):
        services.open_ballot(hall=org.hall_a, title=star, by=org.user("teller_a"))


def test_r_a4_one_vote_per_member_never_for_oneself_only_the_electorate(org, star, clock):
    ballot = _open(org, star)
    teller, guide = org.user("teller_a"), org.user("guide_a")
    with pytest.raises(DomainError) as refused:
        services.cast_vote(ballot, by=teller, candidate_id=teller.pk)
    assert refused.value.code == "self_vote"
    with pytest.raises(DomainError):
        services.cast_vote(ballot, by=teller, candidate_id=org.user("teller_b").pk)  # not on hall A's ballot
    services.cast_vote(ballot, by=teller, candidate_id=guide.pk)
    with pytest.raises(Conflict) as twice:
        services.cast_vote(ballot, by=teller, candidate_id=org.user("leader_a").pk)
    assert twice.value.code == "already_voted"
    newcomer = make_user("newcomer_a", ["teller"], halls=[org.hall_a])  # joined after the ballot opened
    with pytest.raises(Forbidden):
        services.cast_vote(ballot, by=newcomer, candidate_id=guide.pk)
    assert sum(VoteCount.objects.filter(ballot=ballot).values_list("votes", flat=True)) == 1


def test_r_a4_the_vote_tables_cannot_say_who_voted_for_whom(org, star, clock):
    """The content table has no voter column and neither table a timestamp; the audit row and the live event of
    a vote name no candidate."""
    content = {f.name for f in VoteCount._meta.get_fields()}
    participation = {f.name for f in Participation._meta.get_fields()}
    assert content == {"id", "hall", "ballot", "candidate", "votes"}, "hall is the ballot's own (the distribution key)"
    assert participation == {"id", "hall", "ballot", "voter"}
    for model in (VoteCount, Participation):
        assert not [f for f in model._meta.concrete_fields if f.get_internal_type() in ("DateTimeField", "DateField")]
    ballot = _open(org, star)
    guide = org.user("guide_a")
    services.cast_vote(ballot, by=org.user("teller_a"), candidate_id=guide.pk)
    entry = AuditEntry.objects.get(action="recognition.vote")
    assert str(guide.pk) not in str(entry.after) and "candidate" not in str(entry.after)
    event = LiveEvent.objects.get(kind="ballot_vote")
    assert set(event.payload) == {"hall_id", "ballot", "turnout"}


@pytest.mark.django_db(transaction=True)
def test_r_a4_after_the_close_no_count_row_carries_a_voters_transaction(tx_org):
    """PostgreSQL stamps each row with the transaction that wrote it (xmin): a vote's transaction (with its
    subtransaction, which writes the participation) also rewrote its candidate's count; the close rewrites every
    count, so afterwards all of them carry the close's transaction and none a vote's."""
    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's")
    star = titles()["service_star"]
    ballot = services.open_ballot(hall=tx_org.hall_a, title=star, by=tx_org.user("leader_a"))

    def xmins(table):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text FROM {table} WHERE ballot_id = %s", [ballot.pk])
            return {row[0] for row in cursor.fetchall()}

    opened = xmins(VoteCount._meta.db_table)
    services.cast_vote(ballot, by=tx_org.user("teller_a"), candidate_id=tx_org.user("guide_a").pk)
    by_vote = xmins(VoteCount._meta.db_table) - opened
    assert len(by_vote) == 1, "the vote's transaction stamped the count it changed: the link the close must remove"
    services.close_ballot(ballot, by=tx_org.user("leader_a"))
    after = xmins(VoteCount._meta.db_table)
    assert len(after) == 1 and not after & (by_vote | opened | xmins(Participation._meta.db_table))


@pytest.mark.django_db(transaction=True)
def test_r_a4_a_member_voting_twice_at_once_is_counted_once(tx_org):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and the unique constraint race only on PostgreSQL")
    star = titles()["service_star"]
    ballot = services.open_ballot(hall=tx_org.hall_a, title=star, by=tx_org.user("leader_a"))
    teller = tx_org.user("teller_a")
    choices = [tx_org.user("guide_a").pk, tx_org.user("leader_a").pk]
    outcomes, errors = [], []
    barrier = threading.Barrier(2)

    def voter(candidate):
        try:
            barrier.wait()
            services.cast_vote(Ballot.objects.get(pk=ballot.pk), by=teller, candidate_id=candidate)
            outcomes.append("counted")
        except Conflict as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=voter, args=(c,)) for c in choices]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(outcomes) == ["already_voted", "counted"]
    assert Participation.objects.filter(ballot=ballot).count() == 1
    assert sum(VoteCount.objects.filter(ballot=ballot).values_list("votes", flat=True)) == 1


def test_r_a4_the_tally_is_hidden_while_open_shown_to_managers_once_closed_and_to_all_once_published(org, star, clock):
    ballot = _open(org, star)
    leader, teller, guide, security = (org.user(k) for k in ("leader_a", "teller_a", "guide_a", "security_a"))
    services.cast_vote(ballot, by=teller, candidate_id=guide.pk)
    services.cast_vote(ballot, by=security, candidate_id=guide.pk)
    services.cast_vote(ballot, by=guide, candidate_id=teller.pk)
    assert selectors.tally(ballot, leader) is None and selectors.tally(ballot, teller) is None
    assert selectors.turnout(ballot) == (3, 4)
    with pytest.raises(Forbidden):
        services.close_ballot(ballot, by=teller)
    ballot = services.close_ballot(ballot, by=leader)
    with pytest.raises(Conflict):
        services.cast_vote(ballot, by=leader, candidate_id=guide.pk)
    assert selectors.tally(ballot, teller) is None
    rows = selectors.tally(ballot, leader)
    assert [(r.person.username, r.votes, r.rank) for r in rows] == [("guide_a", 2, 1), ("teller_a", 1, 2), ("leader_a", 0, 3),
                                                                   ("security_a", 0, 3)]
    ballot = services.publish_ballot(ballot, by=leader)
    assert [(r.person.username, r.votes) for r in selectors.tally(ballot, teller)][:1] == [("guide_a", 2)]
    award = Award.objects.get(ballot=ballot)
    assert (award.person, award.votes, award.month, award.title) == (guide, 2, FEBRUARY, star)
    assert list(ballot.events.values_list("kind", flat=True)) == ["opened", "closed", "published"]
    assert LiveEvent.objects.filter(hall_id=org.hall_a.pk, topic="recognition", kind="ballot_published").count() == 1


def test_r_a4_a_tie_elects_every_member_at_the_top_and_no_vote_elects_nobody(org, star, clock):
    ballot = _open(org, star)
    leader, teller, guide = org.user("leader_a"), org.user("teller_a"), org.user("guide_a")
    services.cast_vote(ballot, by=teller, candidate_id=guide.pk)
    services.cast_vote(ballot, by=guide, candidate_id=teller.pk)
    services.publish_ballot(services.close_ballot(ballot, by=leader), by=leader)
    assert set(Award.objects.filter(ballot=ballot).values_list("person__username", flat=True)) == {"teller_a", "guide_a"}
    other = services.open_ballot(hall=org.hall_b, title=star, by=org.user("admin"))
    services.publish_ballot(services.close_ballot(other, by=org.user("admin")), by=org.user("admin"))
    assert not Award.objects.filter(ballot=other).exists()


def test_r_a4_other_titles_are_data_awarded_by_the_halls_managers(org, clock):
    shipped = titles()
    leader = org.user("leader_a")
    award = services.award_title(hall=org.hall_a, title=shipped["new_business_expert"], person_id=org.user("teller_a").pk,
                                 month=FEBRUARY, by=leader, note="线上渠道引导 120 户")
    assert award.month == FEBRUARY and award.person == org.user("teller_a")
    with pytest.raises(Conflict):
        services.award_title(hall=org.hall_a, title=shipped["new_business_expert"], person_id=org.user("teller_a").pk,
                             month=FEBRUARY, by=leader)
    with pytest.raises(DomainError):
        services.award_title(hall=org.hall_a, title=shipped["service_star"], person_id=org.user("teller_a").pk, month=FEBRUARY, by=leader)
    with pytest.raises(DomainError):
        services.award_title(hall=org.hall_a, title=shipped["new_business_expert"], person_id=org.user("teller_b").pk,
                             month=FEBRUARY, by=leader)
    with pytest.raises(Forbidden):
        services.award_title(hall=org.hall_a, title=shipped["new_business_expert"], person_id=org.user("guide_a").pk,
                             month=FEBRUARY, by=org.user("teller_a"))
