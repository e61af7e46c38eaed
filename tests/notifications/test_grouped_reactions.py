"""Reactions make one unread notice per post that counts the members who reacted ("3 members sent support to
your post"), never one notice per reaction, and never a name."""

import pytest

from notifications import selectors
from notifications.models import Notification
from notifications.services import mark_all_read, notify_reaction
from tests.factories import UserFactory
from tests.forum.factories import make_topic


@pytest.fixture
def post(adult_category, member):
    return make_topic(category=adult_category, author=member, title="A hard week").posts.get()


def _page(client) -> str:
    return client.get("/notifications/").content.decode()


def test_three_members_make_one_notice_that_counts_them(post, member, member_client):
    reactors = UserFactory.create_batch(3)
    notify_reaction(recipient=member, actor=reactors[0], target=post, url=post.get_absolute_url())
    page = _page(member_client)
    assert "A member sent support to your post" in page
    for reactor in reactors[1:]:
        notify_reaction(recipient=member, actor=reactor, target=post, url=post.get_absolute_url())
    notice = Notification.objects.get(recipient=member)
    assert notice.count == 3
    page = _page(member_client)
    assert "3 members sent support to your post" in page
    for reactor in reactors:
        assert reactor.display_name not in page
    assert selectors.unread_count(member) == 1


def test_a_second_reaction_from_the_same_member_counts_once(post, member, member2):
    notify_reaction(recipient=member, actor=member2, target=post)
    notify_reaction(recipient=member, actor=member2, target=post)
    assert Notification.objects.get(recipient=member).count == 1


def test_once_read_the_next_reaction_starts_a_new_notice(post, member, member2, member_client):
    notify_reaction(recipient=member, actor=member2, target=post)
    mark_all_read(recipient=member)
    notify_reaction(recipient=member, actor=UserFactory(), target=post)
    notices = list(Notification.objects.filter(recipient=member).order_by("pk"))
    assert [(n.count, n.read_at is None) for n in notices] == [(1, False), (1, True)]


def test_each_post_has_its_own_notice(adult_category, post, member, member2):
    other = make_topic(category=adult_category, author=member).posts.get()
    notify_reaction(recipient=member, actor=member2, target=post)
    notify_reaction(recipient=member, actor=member2, target=other)
    assert Notification.objects.filter(recipient=member).count() == 2


def test_reacting_to_ones_own_post_tells_nobody(post, member):
    assert notify_reaction(recipient=member, actor=member, target=post) is None
    assert not Notification.objects.exists()


def test_a_reaction_notice_about_a_post_taken_down_disappears(post, member, member2, moderator, member_client):
    from forum import services as forum

    notify_reaction(recipient=member, actor=member2, target=post)
    forum.remove_post(post=post, actor=moderator, reason="private details")
    assert "sent support" not in _page(member_client)
    assert selectors.unread_count(member) == 0
