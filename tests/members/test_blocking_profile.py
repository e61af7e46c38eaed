"""Blocking from a member's profile: a page that says what it does, a plain profile both ways while it lasts,
the list on /me/ with a way to undo it."""

import pytest

from members.models import Block

pytestmark = pytest.mark.django_db


@pytest.fixture
def blocked_by_sam(member_client, member, member2):
    member_client.post(f"/members/{member2.pk}/block/")
    return member2


def test_the_profile_offers_to_block_and_the_page_explains_first(member_client, member2):
    profile = member_client.get(f"/members/{member2.pk}/").content.decode()
    assert f'href="/members/{member2.pk}/block/"' in profile
    confirm = member_client.get(f"/members/{member2.pk}/block/")
    page = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Block Jordan?" in page and "they are not told" in page
    assert not Block.objects.exists()  # opening the page blocks no one


def test_blocking_from_the_profile(member_client, member, member2):
    response = member_client.post(f"/members/{member2.pk}/block/")
    assert response.status_code == 302 and response["Location"] == f"/members/{member2.pk}/"
    assert Block.objects.filter(blocker=member, blocked=member2).exists()
    assert "You blocked Jordan." in member_client.get(response["Location"]).content.decode()


def test_blocking_returns_to_the_post_it_was_asked_from(member_client, member2):
    response = member_client.post(f"/members/{member2.pk}/block/", {"next": "/forum/p/12/"})
    assert response["Location"] == "/forum/p/12/"
    response = member_client.post(f"/members/{member2.pk}/unblock/", {"next": "https://elsewhere.example/"})
    assert response["Location"] == "/me/#blocked"  # never to another site


def test_both_see_a_plain_profile_while_the_block_lasts(member_client, member2_client, member, member2, blocked_by_sam):
    member2_client.post("/me/", {"form": "profile", "bio": "Jordan's bio"})
    member_client.post("/me/", {"form": "profile", "bio": "Sam's bio"})

    seen_by_blocker = member_client.get(f"/members/{member2.pk}/").content.decode()
    assert "You blocked this member." in seen_by_blocker
    assert "Jordan's bio" not in seen_by_blocker
    assert f'action="/members/{member2.pk}/unblock/"' in seen_by_blocker

    seen_by_blocked = member2_client.get(f"/members/{member.pk}/")
    page = seen_by_blocked.content.decode()
    assert seen_by_blocked.status_code == 200
    assert "There's nothing to show here." in page
    assert "Sam's bio" not in page and "blocked" not in page.lower().split("<main")[1]


def test_unblocking_from_the_profile_brings_the_profile_back(member_client, member2, blocked_by_sam):
    member_client.post(f"/members/{member2.pk}/unblock/", {"next": f"/members/{member2.pk}/"})
    assert not Block.objects.exists()
    page = member_client.get(f"/members/{member2.pk}/").content.decode()
    assert "You blocked this member." not in page and "Member since" in page


def test_the_list_on_me_with_unblock(member_client, member2, blocked_by_sam):
    page = member_client.get("/me/").content.decode()
    assert "Members you blocked" in page and "Jordan" in page
    assert f'action="/members/{member2.pk}/unblock/"' in page
    response = member_client.post(f"/members/{member2.pk}/unblock/")
    assert response["Location"] == "/me/#blocked"
    assert "You unblocked Jordan." in member_client.get("/me/").content.decode()
    assert "You haven't blocked anyone." in member_client.get("/me/").content.decode()


def test_team_members_and_oneself_cannot_be_blocked(member_client, member, moderator):
    assert "/block/" not in member_client.get(f"/members/{moderator.pk}/").content.decode()
    response = member_client.post(f"/members/{moderator.pk}/block/")
    assert response.status_code == 302
    page = member_client.get(response["Location"]).content.decode()
    assert "Moderators and clinic staff can&#x27;t be blocked" in page
    member_client.post(f"/members/{member.pk}/block/")
    assert not Block.objects.exists()


def test_nobody_is_blocked_across_the_age_line_or_by_get(member_client, teen_member, member2):
    assert member_client.post(f"/members/{teen_member.pk}/block/").status_code == 404
    member_client.get(f"/members/{member2.pk}/block/")
    assert not Block.objects.exists()


def test_unblocking_only_lifts_ones_own_block(member2_client, member2, member, blocked_by_sam):
    # Jordan cannot lift the block Sam made.
    member2_client.post(f"/members/{member.pk}/unblock/")
    assert Block.objects.filter(blocker=member, blocked=member2).exists()


def test_the_profile_still_costs_a_fixed_number_of_queries(
    member_client, member2, blocked_by_sam, django_assert_num_queries
):
    member_client.get(f"/members/{member2.pk}/")
    # Session, reader, reader's roles, the member with their block and team state, the reader's notices.
    with django_assert_num_queries(5):
        assert member_client.get(f"/members/{member2.pk}/").status_code == 200
