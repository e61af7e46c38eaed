"""A report of a private message shows the moderator the reported message and a few around it, nothing more,
and each time that is shown it is written to the audit log."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from chat import services
from moderation import adapters
from moderation.models import ReviewItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(member, member2, relaxed_flood):
    room = services.open_private_room(members=[member2], opened_by=member)
    messages = [
        services.post_message(room=room, author=member if n % 2 else member2, body=f"private line {n}").message
        for n in range(1, 11)
    ]
    return room, messages


def _report(message, reporter):
    services.flag_message(message=message, reporter=reporter, reason="harassment", note="this worried me")
    return ReviewItem.objects.get(kind="message", target_id=message.pk)


def test_the_item_page_shows_only_the_window_and_writes_the_audit_row(conversation, member2, moderator, client_for):
    room, messages = conversation
    reported = messages[4]  # "private line 5", by Sam
    item = _report(reported, member2)
    client = client_for(moderator)
    page = client.get(reverse("moderation:item", args=[item.pk])).content.decode()
    for n in range(2, 9):
        assert f"private line {n}<" in page  # three before, the message, three after
    for n in (1, 9, 10):
        assert f"private line {n}<" not in page
    assert "A private conversation" in page
    assert room.slug not in page  # no way into the conversation itself
    (entry,) = AuditEntry.objects.filter(action=AuditAction.CHAT_REVEAL_PRIVATE)
    assert entry.actor == moderator and entry.target_id == str(reported.pk)
    assert "Evening" not in entry.target_repr and "Sam" not in entry.target_repr
    # Every showing is written down.
    client.get(reverse("moderation:item", args=[item.pk]))
    assert AuditEntry.objects.filter(action=AuditAction.CHAT_REVEAL_PRIVATE, actor=moderator).count() == 2
    # The moderator still cannot open the conversation.
    assert client.get(room.get_absolute_url()).status_code == 404


def test_a_public_rooms_item_writes_no_reveal_row(room, member, member2, moderator, client_for):
    message = services.post_message(room=room, author=member, body="in the open").message
    item = _report(message, member2)
    page = client_for(moderator).get(reverse("moderation:item", args=[item.pk])).content.decode()
    assert "in the open" in page and f"{room.get_absolute_url()}#m-{message.pk}" in page
    assert not AuditEntry.objects.filter(action=AuditAction.CHAT_REVEAL_PRIVATE).exists()


def test_the_adapter_keeps_private_messages_to_their_participants(conversation, member2, moderator):
    room, messages = conversation
    adapter = adapters.get_adapter("message")
    target = adapter.get(messages[0].pk)
    assert adapter.url(target) == "" and adapter.where(target) == "A private conversation"
    assert adapter.can_report(member2, target)
    assert not adapter.can_report(moderator, target)  # a moderator not in it has nothing to report from
    lines = adapters.context_for(adapter, target, viewer=moderator)
    assert [line.text for line in lines] == [f"private line {n}" for n in range(1, 5)]
    assert AuditEntry.objects.filter(action=AuditAction.CHAT_REVEAL_PRIVATE, actor=moderator).count() == 1
