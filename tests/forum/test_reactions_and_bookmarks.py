"""Supportive reactions (counted once, with who reacted) and bookmarks."""

import pytest

from forum import services
from forum.models import Bookmark, Reaction

from .factories import make_topic


@pytest.fixture
def post(adult_category, member):
    return make_topic(category=adult_category, author=member, title="30 days today", body="Thirty days!").posts.get()


def test_react_shows_count_and_who(post, member2, member2_client, member_client):
    response = member2_client.post(f"/forum/p/{post.pk}/react/", {"reaction": "+support"})
    assert response.status_code == 302
    page = member_client.get(f"/forum/t/{post.topic_id}/").content.decode()
    assert 'Sending support <span class="count">1</span>' in page
    assert "Sending support: Jordan" in page


def test_a_second_identical_reaction_does_not_double_count(post, member2, member2_client):
    for _ in range(2):
        member2_client.post(f"/forum/p/{post.pk}/react/", {"reaction": "+hug"})
    assert Reaction.objects.filter(post=post, kind="hug").count() == 1
    assert services.add_reaction(post=post, user=member2, kind="hug") is False
    assert Reaction.objects.count() == 1


def test_reaction_can_be_taken_back(post, member2, member2_client):
    services.add_reaction(post=post, user=member2, kind="thanks")
    member2_client.post(f"/forum/p/{post.pk}/react/", {"reaction": "-thanks"})
    assert not Reaction.objects.exists()


def test_unknown_reaction_is_refused(post, member2, member2_client):
    member2_client.post(f"/forum/p/{post.pk}/react/", {"reaction": "+angry"})
    assert not Reaction.objects.exists()
    with pytest.raises(services.ForumError):
        services.add_reaction(post=post, user=member2, kind="angry")


def test_reactions_and_bookmarks_are_post_only(post, member2_client):
    assert member2_client.get(f"/forum/p/{post.pk}/react/").status_code == 405
    assert member2_client.get(f"/forum/p/{post.pk}/bookmark/").status_code == 405


def test_outsider_cannot_react_or_bookmark(rp_category, rp_member, member_client, teen_client):
    post = make_topic(category=rp_category, author=rp_member).posts.get()
    for client in (member_client, teen_client):
        assert client.post(f"/forum/p/{post.pk}/react/", {"reaction": "+hug"}).status_code == 404
        assert client.post(f"/forum/p/{post.pk}/bookmark/", {"on": "1"}).status_code == 404
    assert not Reaction.objects.exists() and not Bookmark.objects.exists()


def test_no_reactions_on_a_removed_post(post, member, member2_client):
    services.remove_own_post(post=post, actor=member)
    # The opening post removed by its author leaves the topic (and others' replies) in place.
    assert member2_client.get(f"/forum/t/{post.topic_id}/").status_code == 200
    assert member2_client.post(f"/forum/p/{post.pk}/react/", {"reaction": "+hug"}).status_code == 403
    assert not Reaction.objects.exists()


def test_bookmarks_list_and_removal(post, member2, member2_client, moderator):
    member2_client.post(f"/forum/p/{post.pk}/bookmark/", {"on": "1"})
    page = member2_client.get("/forum/bookmarks/").content.decode()
    assert "30 days today" in page and "Thirty days!" in page
    assert "Remove bookmark" in member2_client.get(f"/forum/t/{post.topic_id}/").content.decode()
    # Hidden content drops out of the list (the row stays, in case it is restored).
    services.hide_post(post=post, actor=moderator, reason="Checking")
    assert "30 days today" not in member2_client.get("/forum/bookmarks/").content.decode()
    services.restore_post(post=post, actor=moderator, reason="Fine")
    assert "30 days today" in member2_client.get("/forum/bookmarks/").content.decode()
    member2_client.post(f"/forum/p/{post.pk}/bookmark/", {})
    assert not Bookmark.objects.filter(user=member2).exists()


def test_bookmarks_page_is_only_ones_own(post, member2, member_client):
    services.add_bookmark(post=post, user=member2)
    assert "30 days today" not in member_client.get("/forum/bookmarks/").content.decode()


def test_with_htmx_only_the_reactions_come_back(post, member2_client):
    response = member2_client.post(
        f"/forum/p/{post.pk}/react/",
        {"reaction": "+hug", "next": f"/forum/t/{post.topic_id}/#post-1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("{#") is False and "<html" not in html
    assert 'Hug <span class="count">1</span>' in html and 'value="-hug"' in html and "Hug: Jordan" in html
    assert f'value="/forum/t/{post.topic_id}/#post-1"' in html
