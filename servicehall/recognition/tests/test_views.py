"""The recognition pages answer through their verbs: a vote for oneself or a second vote is refused with a
Chinese message (never a 500), nobody reads counts while the ballot is open, typed text is escaped, GET
changes nothing, and the pages read in English too."""
from django.urls import reverse

from servicehall.core.testing import english
from servicehall.recognition import services
from servicehall.recognition.models import Participation, StudyNote, VoteCount


def _ballot(org, star):
    return services.open_ballot(hall=org.hall_a, title=star, by=org.user("leader_a"))


def test_r_a4_the_ballot_page_takes_one_vote_and_refuses_oneself_and_a_second(client, org, star, clock):
    ballot = _ballot(org, star)
    teller = org.user("teller_a")
    client.force_login(teller)
    url = reverse("recognition:ballot", args=[ballot.pk])
    html = client.get(url).content.decode()
    assert 'data-testid="candidate-teller_a"' not in html and 'data-testid="candidate-guide_a"' in html, "no vote for oneself offered"
    assert 'data-testid="tally-hidden"' in html
    vote = reverse("recognition:vote", args=[ballot.pk])
    refused = client.post(vote, {"candidate": teller.pk})
    assert refused.status_code == 400 and "不能投票给自己" in refused.content.decode()
    assert client.post(vote, {"candidate": "abc"}).status_code == 400
    assert client.post(vote, {"candidate": org.user("guide_a").pk}).status_code == 302
    again = client.post(vote, {"candidate": org.user("leader_a").pk})
    assert again.status_code == 409 and "每人只能投一票" in again.content.decode()
    html = client.get(url).content.decode()
    assert 'data-testid="voted"' in html and "已投票 1 / 4 人" in html and 'data-testid="tally-row"' not in html
    client.force_login(org.user("leader_a"))
    assert 'data-testid="tally-row"' not in client.get(url).content.decode(), "not even the leader reads counts while open"
    assert client.post(reverse("recognition:ballot_action", args=[ballot.pk, "publish"])).status_code == 409
    assert client.post(reverse("recognition:ballot_action", args=[ballot.pk, "close"])).status_code == 302
    assert client.get(url).content.decode().count('data-testid="tally-row"') == 4


def test_r_a4_a_teller_may_not_run_the_ballot_and_reads_nothing_by_get(client, org, star, clock):
    ballot = _ballot(org, star)
    client.force_login(org.user("teller_a"))
    assert client.post(reverse("recognition:ballot_action", args=[ballot.pk, "close"])).status_code == 403
    assert client.get(reverse("recognition:vote", args=[ballot.pk])).status_code == 405
    client.get(reverse("recognition:ballot", args=[ballot.pk]))
    client.get(reverse("recognition:board") + f"?hall={org.hall_a.pk}")
    assert not Participation.objects.exists() and sum(VoteCount.objects.values_list("votes", flat=True)) == 0


def test_r_s6_the_index_refuses_bad_input_with_a_message_and_escapes_notes(client, org, star, clock):
    client.force_login(org.user("leader_a"))
    index = reverse("recognition:index")
    assert client.post(reverse("recognition:ballot_open"), {"title": "x"}).status_code == 400
    bad_link = client.post(reverse("recognition:note_post"), {"title": "学习", "link": "javascript:alert(1)"})
    assert bad_link.status_code == 400 and "链接须以 http:// 或 https:// 开头" in bad_link.content.decode()
    assert client.post(reverse("recognition:note_post"), {"title": "<script>alert(1)</script>"}).status_code == 302
    html = client.get(index).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    board = client.get(reverse("recognition:board") + f"?hall={org.hall_a.pk}").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in board and "<script>alert(1)" not in board
    award = client.post(reverse("recognition:award"), {"title": "x", "person": org.user("teller_a").pk, "month": "2026-02"})
    assert award.status_code == 400
    note = StudyNote.objects.get()
    assert client.post(reverse("recognition:note_remove", args=[note.pk])).status_code == 302
    assert StudyNote.objects.get().removed_at is not None


def test_r_s6_the_pages_read_in_english(client, org, star, clock):
    english(client, org.user("leader_a"))
    assert "Team board" in client.get(reverse("recognition:index")).content.decode()
    board = client.get(reverse("recognition:board") + f"?hall={org.hall_a.pk}").content.decode()
    assert "Daily error log" in board and "Study corner" in board
