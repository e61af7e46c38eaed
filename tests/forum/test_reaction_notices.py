"""A post's author hears of reactions as one grouped notice (“3 members sent support to your post”) that never
names who reacted; each member counts once; nobody is told of their own reaction or across a block."""

import pytest

from forum import services
from members.services import block_member
from notifications.models import Notification
from tests.factories import UserFactory

from .factories import make_topic


@pytest.fixture
def post(adult_category, member):
    return make_topic(category=adult_category, author=member, title="Ninety days", body="Ninety days!").posts.get()


def _react(post, user, kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the notice leaves after the reaction is committed
        return services.add_reaction(post=post, user=user, kind=kind)


def _reaction_notices(user):
    return Notification.objects.filter(recipient=user, kind="forum_reaction")


def test_reactions_make_one_growing_notice_that_names_no_one(
    post, member, member2, member_client, django_capture_on_commit_callbacks
):
    _react(post, member2, "support", django_capture_on_commit_callbacks)
    page = member_client.get("/notifications/").content.decode()
    assert "A member sent support to your post" in page and "Jordan" not in page
    others = [UserFactory(display_name=f"Friend {i}") for i in range(2)]
    for friend in others:
        _react(post, friend, "hug", django_capture_on_commit_callbacks)
    # A second kind from the same member does not count them twice.
    _react(post, member2, "thanks", django_capture_on_commit_callbacks)
    notice = _reaction_notices(member).get()
    assert notice.count == 3 and notice.url == post.get_absolute_url()
    page = member_client.get("/notifications/").content.decode()
    assert "3 members sent support to your post" in page
    assert "Jordan" not in page and "Friend" not in page


def test_no_notice_for_ones_own_reaction_or_a_reaction_taken_back_and_given_again(
    post, member, member2, django_capture_on_commit_callbacks
):
    _react(post, member, "support", django_capture_on_commit_callbacks)
    assert not _reaction_notices(member).exists()
    _react(post, member2, "hug", django_capture_on_commit_callbacks)
    services.remove_reaction(post=post, user=member2, kind="hug")
    _react(post, member2, "hug", django_capture_on_commit_callbacks)
    assert _reaction_notices(member).get().count == 1


def test_no_reaction_notice_across_a_block(post, member, member2, django_capture_on_commit_callbacks):
    block_member(blocker=member, blocked=member2)
    _react(post, member2, "support", django_capture_on_commit_callbacks)
    assert not _reaction_notices(member).exists()


def test_a_reaction_through_the_page_tells_the_author(post, member, member2_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = member2_client.post(f"/forum/p/{post.pk}/react/", {"reaction": "+strong"})
    assert response.status_code == 302 and _reaction_notices(member).get().count == 1
