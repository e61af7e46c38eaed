"""/moderation/: the review queue moderators work from, and who may open it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import Role
from moderation import services
from moderation.models import ReviewItem
from tests.factories import UserFactory, enable_totp

pytestmark = pytest.mark.django_db

URL = "/moderation/"


def _report(things, *, reporter, author, reason="spam", text="Buy cheap things here", teen=False):
    thing = things.add(author=author, text=text, teen=teen)
    services.report(reporter=reporter, kind="thing", target_id=thing.pk, reason=reason, note="")
    return thing, ReviewItem.objects.get(kind="thing", target_id=thing.pk)


@pytest.mark.parametrize(
    "url", [URL, "/moderation/audit/", "/moderation/appeals/", "/moderation/items/1/", "/moderation/members/1/"]
)
def test_members_get_not_found_on_team_pages(url, member_client, teen_client):
    assert member_client.get(url).status_code == 404
    assert teen_client.get(url).status_code == 404


def test_a_moderator_without_mfa_is_sent_to_set_it_up(client_for):
    moderator = UserFactory(roles=[Role.MEMBER, Role.MODERATOR])
    response = client_for(moderator).get(URL)
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]


def test_a_member_cannot_open_an_item_by_its_address(things, member, member2, member_client):
    _thing, item = _report(things, reporter=member, author=member2)
    assert member_client.get(f"/moderation/items/{item.pk}/").status_code == 404
    assert member_client.post(f"/moderation/items/{item.pk}/", {"intent": "claim"}).status_code == 404
    item.refresh_from_db()
    assert item.claimed_by is None


def test_urgent_items_come_first_then_the_oldest(things, member, member2, moderator_client):
    _t, older = _report(things, reporter=member, author=member2, text="The older spam")
    ReviewItem.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=3))
    _t, newer = _report(things, reporter=member, author=member2, text="The newer spam")
    _t, crisis = _report(things, reporter=member, author=member2, reason="crisis", text="I cannot go on")
    page = moderator_client.get(URL).content.decode()
    assert page.index("I cannot go on") < page.index("The older spam") < page.index("The newer spam")
    assert "Urgent: someone may be in crisis" in page
    assert page.count("Urgent: someone may be in crisis") == 1
    assert 'Review queue <span class="count">(3 open)</span>' in page


def test_a_row_shows_kind_where_snapshot_reports_and_claim(things, member, member2, moderator, moderator_client):
    _t, item = _report(things, reporter=member, author=member2, reason="harassment", text="You are all idiots")
    services.report(reporter=UserFactory(), kind="thing", target_id=item.target_id, reason="harassment")
    services.claim_item(item=item, actor=moderator)
    page = moderator_client.get(URL).content.decode()
    assert "Test thing: Test room" in page
    assert "You are all idiots" in page
    assert "Reported by 2 members: Harassment or bullying (2)" in page
    assert "claimed by Alex mod" in page
    # Reporters are never named in the queue.
    assert member.display_name not in page


def test_filters_open_mine_resolved_reason_and_kind(things, member, member2, moderator, moderator_client):
    _t, spam = _report(things, reporter=member, author=member2, reason="spam", text="Spam spam")
    _t, rude = _report(things, reporter=member, author=member2, reason="harassment", text="Rude words")
    _t, done = _report(things, reporter=member, author=member2, reason="spam", text="Old business")
    services.decide_item(item=done, actor=moderator, decision=services.DISMISS, reason="Fine")
    services.claim_item(item=rude, actor=moderator)

    def shown(query):
        page = moderator_client.get(URL + query).content.decode()
        return {text for text in ("Spam spam", "Rude words", "Old business") if text in page}

    assert shown("") == {"Spam spam", "Rude words"}
    assert shown("?show=mine") == {"Rude words"}
    assert shown("?show=resolved") == {"Old business"}
    assert shown("?reason=harassment") == {"Rude words"}
    assert shown("?kind=member") == set()
    assert shown("?kind=thing") == {"Spam spam", "Rude words"}
    # A nonsense filter is ignored, not an error.
    assert moderator_client.get(URL + "?show=everything&reason=nope").status_code == 200


def test_a_moderator_not_cleared_for_teens_never_sees_teen_items(
    things, teen_member, member2, moderator, moderator_client, staff_client
):
    teen_reporter = UserFactory(year_of_birth=teen_member.year_of_birth)
    _t, item = _report(things, reporter=teen_reporter, author=teen_member, text="Teen room words", teen=True)
    assert item.in_teen_space
    assert "Teen room words" not in moderator_client.get(URL).content.decode()
    assert moderator_client.get(f"/moderation/items/{item.pk}/").status_code == 404
    assert moderator_client.post(f"/moderation/items/{item.pk}/", {"intent": "claim"}).status_code == 404
    assert moderator_client.get(f"/moderation/members/{teen_member.pk}/").status_code == 404
    # Staff cleared for teen spaces see and open it.
    assert "Teen room words" in staff_client.get(URL).content.decode()
    assert staff_client.get(f"/moderation/items/{item.pk}/").status_code == 200


def test_the_open_count_leaves_out_teen_items_for_the_uncleared(things, teen_member, member, member2, moderator_client):
    _report(things, reporter=UserFactory(year_of_birth=teen_member.year_of_birth), author=teen_member, teen=True)
    _report(things, reporter=member, author=member2)
    assert "(1 open)" in moderator_client.get(URL).content.decode()


def test_the_query_count_does_not_grow_with_items(things, member, moderator_client, django_assert_num_queries):
    authors = [UserFactory() for _ in range(10)]
    _report(things, reporter=member, author=authors[0], text="first")
    moderator_client.get(URL)  # warm caches (content types, sessions) outside the count

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert moderator_client.get(URL).status_code == 200
    for i, author in enumerate(authors[1:], start=2):
        _report(things, reporter=member, author=author, text=f"item {i}", reason="crisis" if i % 3 == 0 else "spam")
    with django_assert_num_queries(len(one.captured_queries)):
        page = moderator_client.get(URL).content.decode()
    assert page.count('<li class="mod-item') == 10


def test_the_queue_pins_its_query_count(things, member, member2, moderator_client, django_assert_num_queries):
    _report(things, reporter=member, author=member2)
    moderator_client.get(URL)  # warm the content-type cache, as a running server has it
    # session, user, roles, MFA, notifications (base page), the two sub-navigation counts, the page count, the
    # items (with author and claimer), their flags, and the targets (one get_many per kind)
    with django_assert_num_queries(11):
        moderator_client.get(URL)


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_see_the_queue_too(staff_client):
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert "the queue is clear" in response.content.decode()


def test_a_moderator_with_mfa_set_up_later_gets_in(client_for):
    moderator = UserFactory(roles=[Role.MEMBER, Role.MODERATOR])
    enable_totp(moderator)
    assert client_for(moderator).get(URL).status_code == 200
