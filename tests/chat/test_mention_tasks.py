"""Mention notices leave the sending transaction: a task (chat.tasks) runs after commit with the message's id,
tells nobody across a block or against their choice of who may mention them, and tells the members a held
message mentions only when a moderator approves it."""

import pytest

from chat import services, tasks
from chat.models import Message
from chat.services import messages
from members import services as member_services
from members.models import MentionPolicy, User
from moderation.models import ReviewItem, WatchedWord
from moderation.services import add_watched_word, decide_item
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _mentions_of(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind="chat_mention"))


def test_the_notice_is_made_after_commit_not_inside_the_send(room, member, member2, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = services.post_message(room=room, author=member, body="Thanks @Jordan").message
    assert _mentions_of(member2) == []  # nothing was written in the sending transaction
    for callback in callbacks:
        callback()
    (notice,) = _mentions_of(member2)
    assert notice.url == f"/chat/{room.slug}/#m-{message.pk}" and notice.actor == member
    assert notice.text == "Sam mentioned you in the Evening circle chat room"


def test_a_failed_notice_does_not_undo_the_message(
    room, member, member2, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("notification store down")

    monkeypatch.setattr(tasks, "notify_many", broken)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.post_message(room=room, author=member, body="hi @Jordan").message
    assert Message.objects.get(pk=message.pk).is_visible


@pytest.mark.parametrize("blocker_is_author", [True, False])
def test_no_notice_passes_a_block_either_way(
    room, member, member2, blocker_is_author, django_capture_on_commit_callbacks
):
    if blocker_is_author:
        member_services.block_member(blocker=member, blocked=member2)
    else:
        member_services.block_member(blocker=member2, blocked=member)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(room=room, author=member, body="hey @Jordan")
    assert _mentions_of(member2) == []


def test_a_member_who_lets_nobody_mention_them_hears_only_from_moderators(
    room, member, member2, moderator, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=member2.pk).update(mention_policy=MentionPolicy.NOBODY)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(room=room, author=member, body="hey @Jordan")
    assert _mentions_of(member2) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(room=room, author=moderator, body="@Jordan please check your messages")
    assert [n.actor for n in _mentions_of(member2)] == [moderator]


def test_a_held_message_tells_the_mentioned_when_a_moderator_approves_it(
    room, member, member2, staff, moderator, django_capture_on_commit_callbacks
):
    add_watched_word(actor=staff, kind=WatchedWord.Kind.PHRASE, pattern="meet offline", action="hold")
    with django_capture_on_commit_callbacks(execute=True):
        posted = services.post_message(room=room, author=member, body="@Jordan shall we meet offline?")
    assert posted.held and _mentions_of(member2) == []
    item = ReviewItem.objects.get(kind="message", target_id=posted.message.pk)
    with django_capture_on_commit_callbacks(execute=True):
        decide_item(item=item, actor=moderator, decision="approve", reason="Fine: they know each other")
    (notice,) = _mentions_of(member2)
    assert notice.target_id == posted.message.pk


def test_the_task_tells_each_member_once_and_nobody_about_a_removed_message(room, member, member2):
    message = services.post_message(room=room, author=member, body="@Jordan hello").message  # not committed: no task
    assert tasks.notify_chat_mentions.call(message.pk) == 1
    assert tasks.notify_chat_mentions.call(message.pk) == 0  # run again (a retry): not told twice
    services.remove_message(message=message, actor=member)
    Notification.objects.all().delete()
    assert tasks.notify_chat_mentions.call(message.pk) == 0


def test_the_task_is_given_the_message_id_only(room, member, member2, monkeypatch):
    queued = []
    monkeypatch.setattr(messages, "enqueue_after_commit", lambda task, **kwargs: queued.append((task, kwargs)))
    message = services.post_message(room=room, author=member, body="@Jordan hello").message
    assert queued == [(tasks.notify_chat_mentions, {"message_id": message.pk})]
    services.post_message(room=room, author=member, body="no mention here")
    assert len(queued) == 1
