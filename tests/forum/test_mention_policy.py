"""“Who may mention me”: a member who chose “Nobody (moderators still can)” is not told of mentions by other
members (the mention still reads as one), while moderators can still reach them."""

import pytest

from forum import services
from members.mentions import mentions_that_notify
from members.models import MentionPolicy
from notifications.models import Notification

from .factories import make_reply, make_topic


@pytest.fixture
def quiet_sam(member):
    member.mention_policy = MentionPolicy.NOBODY
    member.save(update_fields=["mention_policy"])
    return member


def _mentions(user):
    return Notification.objects.filter(recipient=user, kind="forum_mention")


def test_a_member_who_chose_nobody_is_not_told_but_the_mention_still_reads(adult_category, quiet_sam, member2):
    topic = make_topic(category=adult_category, author=member2, body="Thanks @Sam for last week")
    assert not _mentions(quiet_sam).exists()
    html = topic.posts.get().html
    assert "@Sam" in html and f'href="/forum/members/{quiet_sam.pk}/"' in html


def test_moderators_can_still_reach_them(adult_category, quiet_sam, member2, moderator):
    topic = make_topic(category=adult_category, author=member2)
    make_reply(topic=topic, author=moderator, body="@Sam could you check your messages?")
    note = _mentions(quiet_sam).get()
    assert note.text == f"Alex mod mentioned you in “{topic.title}”"


def test_everyone_is_the_default_and_notifies(adult_category, member, member2):
    assert member.mention_policy == MentionPolicy.EVERYONE
    make_topic(category=adult_category, author=member2, body="@Sam hello")
    assert _mentions(member).count() == 1


def test_an_edit_that_adds_the_mention_tells_them_nothing_either(
    adult_category, quiet_sam, member2, django_capture_on_commit_callbacks
):
    post = make_topic(category=adult_category, author=member2, body="Hello all").posts.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_post(post=post, editor=member2, body="Hello all, and @Sam", base_revision=1)
    assert not _mentions(quiet_sam).exists()


def test_the_choice_is_about_mentions_only_watching_still_tells_them(adult_category, quiet_sam, member2):
    topic = make_topic(category=adult_category, author=quiet_sam, title="My first month")
    make_reply(topic=topic, author=member2, body="@Sam well done!")
    (note,) = Notification.objects.filter(recipient=quiet_sam)
    assert note.kind == "forum_reply" and note.text == "Jordan replied to “My first month”"


def test_the_rule_in_one_place_for_the_forum_and_chat(quiet_sam, member2, moderator):
    assert mentions_that_notify(author=member2, users=[quiet_sam, member2]) == []
    assert mentions_that_notify(author=moderator, users=[quiet_sam]) == [quiet_sam]
    assert mentions_that_notify(author=quiet_sam, users=[member2]) == [member2]
