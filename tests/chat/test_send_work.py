"""What one `send` costs the server, and what it must still guarantee while costing less: a constant number of
statements whatever the room's size, a resend that is answered but never counted, and a broadcast that leaves
only after its message is committed (chat.fanout.Outbox: published from the event loop, not the database
thread)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chat import fanout, services
from chat.consumers import ChatConsumer
from chat.models import Message
from chat.services import messages
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")


def _statements(context) -> list[str]:
    return [q["sql"] for q in context.captured_queries if not q["sql"].upper().startswith(TRANSACTION_CONTROL)]


def _socket_of(user, room) -> ChatConsumer:
    """A consumer as its socket holds it once open, to run its database work without a connection."""
    consumer = ChatConsumer()
    consumer.user, consumer.room, consumer.socket_id = user, room, "socket-1"
    return consumer


@pytest.mark.parametrize("others", [0, 30])
def test_a_send_costs_the_same_statements_however_many_members_write_in_the_room(room, member, relaxed_flood, others):
    for n in range(others):
        services.post_message(room=room, author=UserFactory(), body=f"from another member {n}", client_id=str(n))
    services.post_message(room=room, author=member, body="my first", client_id="first")
    with CaptureQueriesContext(connection) as stored:
        services.post_message(room=room, author=member, body="my second", client_id="second")
    # The seq bumped and read back in one statement, the message, the author's read marker.
    assert len(_statements(stored)) == 3, _statements(stored)

    socket = _socket_of(member, room)
    with CaptureQueriesContext(connection) as handled:
        outbox = fanout.Outbox()
        replies = fanout.run_deferring(outbox, socket._handle, {"type": "send", "body": "third", "client_id": "c"})
    # Plus the member's sanctions and mute in this room, read afresh in one.
    assert len(_statements(handled)) == 4, _statements(handled)
    assert [event["kind"] for _group, event, _publication in outbox.take()] == ["message"]
    assert not any(isinstance(reply, dict) for reply in replies)  # the room's broadcast answers the sender


def test_a_resend_is_answered_with_the_stored_message_and_does_not_count_against_flood_control(room, member):
    first = services.post_message(room=room, author=member, body="one", client_id="c0")
    for _ in range(5):
        again = services.post_message(room=room, author=member, body="one", client_id="c0")
        assert again.repeat and again.message.pk == first.message.pk
    # A new member may send 20 messages in 30 seconds: the resends above took none of them.
    for n in range(1, 20):
        assert not services.post_message(room=room, author=member, body=f"m{n}", client_id=f"c{n}").repeat
    assert Message.objects.filter(room=room).count() == 20
    with pytest.raises(services.ChatError) as refused:
        services.post_message(room=room, author=member, body="one too many", client_id="c20")
    assert refused.value.code == "rate_limited"
    # Even past the limit, a resend is answered with what was stored.
    assert services.post_message(room=room, author=member, body="m3", client_id="c3").repeat


def test_a_resend_in_slow_mode_is_answered_and_does_not_give_back_the_turn(room, member):
    room.slow_mode_seconds = 30
    room.save()
    first = services.post_message(room=room, author=member, body="first", client_id="a")
    again = services.post_message(room=room, author=member, body="first", client_id="a")
    assert again.repeat and again.message.pk == first.message.pk
    with pytest.raises(services.ChatError) as refused:
        services.post_message(room=room, author=member, body="second", client_id="b")
    assert refused.value.code == "slow_mode"


def test_a_message_that_fails_to_store_is_never_published(monkeypatch, room, member):
    def broken(**kwargs):
        raise RuntimeError("review queue down")

    monkeypatch.setattr(messages, "after_publish", broken)
    outbox = fanout.Outbox()
    with pytest.raises(RuntimeError):
        fanout.run_deferring(outbox, services.post_message, room=room, author=member, body="hi", client_id="x")
    assert outbox.take() == []
    assert not Message.objects.exists()
