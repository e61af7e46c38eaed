"""No notice, in the app or by email, passes between two members where either blocked the other."""

import pytest
from django.core import mail

from members.services import block_member, unblock_member
from notifications.models import Notification
from notifications.services import notify, notify_many, notify_reaction, set_email_preferences

from .conftest import sent_to


@pytest.fixture(params=["recipient blocked actor", "actor blocked recipient"])
def blocked_pair(request, member, member2):
    """(recipient, actor) with a block between them, made by one or the other."""
    if request.param == "recipient blocked actor":
        block_member(blocker=member, blocked=member2)
    else:
        block_member(blocker=member2, blocked=member)
    return member, member2


def test_no_notice_and_no_email_across_a_block(blocked_pair, committed):
    recipient, actor = blocked_pair
    set_email_preferences(user=recipient, choices={"mentions": "immediately"})
    with committed():
        assert notify(recipient=recipient, kind="forum_mention", text="x", actor=actor) is None
        assert notify_many(recipients=[recipient], kind="chat_mention", text="x", actor=actor) == 0
    assert not Notification.objects.filter(recipient=recipient).exists()
    assert sent_to(recipient) == []


def test_no_reaction_notice_across_a_block(blocked_pair, adult_category):
    from tests.forum.factories import make_topic

    recipient, actor = blocked_pair
    post = make_topic(category=adult_category, author=recipient).posts.get()
    assert notify_reaction(recipient=recipient, actor=actor, target=post, url="/forum/") is None
    assert not Notification.objects.filter(recipient=recipient).exists()


def test_a_fan_out_leaves_out_only_those_with_a_block(member, member2, moderator, committed):
    from tests.factories import UserFactory

    others = UserFactory.create_batch(3)
    block_member(blocker=others[0], blocked=member2)
    block_member(blocker=member2, blocked=others[1])
    told = notify_many(recipients=[member, *others, moderator], kind="chat_mention", text="x", actor=member2)
    assert told == 3
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {member.pk, others[2].pk, moderator.pk}


def test_after_unblocking_notices_flow_again(member, member2):
    block_member(blocker=member, blocked=member2)
    unblock_member(blocker=member, blocked=member2)
    assert notify(recipient=member, kind="forum_mention", text="x", actor=member2) is not None


def test_notices_without_an_actor_are_not_filtered(member, member2):
    # Moderation notices name nobody; a block must not hide a sanction from the member it concerns.
    block_member(blocker=member, blocked=member2)
    assert notify(recipient=member, kind="sanction", text="A warning") is not None
    assert mail.outbox == [] or all(member2.email not in m.to for m in mail.outbox)
