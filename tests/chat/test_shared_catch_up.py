"""Sockets catching up on the same stretch of a room at once share frames read and encoded once (a restart
reconnects hundreds of pages together), yet each member still gets only what is theirs to see: a blocked author
collapsed, their own held message and its source, nobody else's held message, and nothing removed since."""

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chat import selectors, services
from chat.consumers import ChatConsumer
from members import services as member_services
from moderation.models import WatchedWord
from moderation.services import add_watched_word
from tests.factories import UserFactory

from .conftest import post, settle

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_shared_frames_between_tests():
    selectors._shared.clear()
    yield
    selectors._shared.clear()


def _hold_phrase(staff):
    add_watched_word(actor=staff, kind=WatchedWord.Kind.PHRASE, pattern="meet me offline", action="hold")


async def _catch_up(socket, after_seq: int) -> tuple[list[dict], dict]:
    await socket.send({"type": "catch_up", "after_seq": after_seq})
    messages = []
    while True:
        frame = await socket.receive()
        if frame["type"] == "caught_up":
            return messages, frame
        if frame["type"] == "message":
            messages.append(frame)


def _seen(messages) -> list[tuple]:
    return [(m["seq"], m["author"]["name"], m["html"], m.get("held", False), "source" in m) for m in messages]


async def test_readers_catching_up_together_each_see_only_what_is_theirs(
    connect, room, member, member2, moderator, relaxed_flood
):
    casey = await database_sync_to_async(UserFactory)(display_name="Casey")
    await database_sync_to_async(_hold_phrase)(moderator)
    await database_sync_to_async(member_services.block_member)(blocker=member2, blocked=casey)
    await post(room, member, "Day 30 today")
    await post(room, casey, "congratulations")
    await database_sync_to_async(services.post_message)(room=room, author=casey, body="meet me offline")
    await post(room, member2, "thank you all")

    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    caseys = await connect(casey, room.slug)
    sam_saw, sam_end = await _catch_up(sam, 0)
    jordan_saw, _ = await _catch_up(jordan, 0)
    casey_saw, _ = await _catch_up(caseys, 0)

    assert sam_end == {"type": "caught_up", "seq": 4, "more": False}
    assert _seen(sam_saw) == [
        (1, "Sam", "<p>Day 30 today</p>", False, True),
        (2, "Casey", "<p>congratulations</p>", False, False),
        (4, "Jordan", "<p>thank you all</p>", False, False),
    ]
    assert _seen(jordan_saw) == [
        (1, "Sam", "<p>Day 30 today</p>", False, False),
        (2, "Hidden member", "<p>A message from a member you blocked.</p>", False, False),
        (4, "Jordan", "<p>thank you all</p>", False, True),
    ]
    assert _seen(casey_saw) == [
        (1, "Sam", "<p>Day 30 today</p>", False, False),
        (2, "Casey", "<p>congratulations</p>", False, True),
        (3, "Casey", "<p>meet me offline</p>", True, True),
        (4, "Hidden member", "<p>A message that isn't shown to you.</p>", False, False),
    ]


async def test_a_message_removed_after_others_caught_up_is_not_shown_to_the_next_reader(
    connect, room, member, member2, relaxed_flood
):
    kept = (await post(room, member, "kept")).message
    gone = (await post(room, member, "soon removed")).message
    jordan = await connect(member2, room.slug)
    first, _ = await _catch_up(jordan, 0)
    assert [m["id"] for m in first] == [kept.pk, gone.pk]

    await database_sync_to_async(services.remove_message)(message=gone, actor=member)
    assert (await jordan.receive_type("message_removed"))["id"] == gone.pk
    await settle()
    sam = await connect(member, room.slug)
    again, end = await _catch_up(sam, 0)
    assert [m["id"] for m in again] == [kept.pk] and end["seq"] == 2


def _reader(user, room) -> ChatConsumer:
    consumer = ChatConsumer()
    consumer.user, consumer.room, consumer.socket_id = user, room, "socket-1"
    return consumer


def test_readers_catching_up_on_the_same_stretch_read_its_messages_once(room, member, relaxed_flood):
    for n in range(20):
        services.post_message(room=room, author=member, body=f"message {n}")
    readers = [_reader(UserFactory(), room) for _ in range(5)]
    readers[0]._handle({"type": "catch_up", "after_seq": 0})
    for reader in readers[1:]:
        with CaptureQueriesContext(connection) as context:
            frames = reader._handle({"type": "catch_up", "after_seq": 0})
        assert len(context.captured_queries) == 1  # the room's latest seq
        assert len(frames) == 21 and frames[-1] == {"type": "caught_up", "seq": 20, "more": False}
