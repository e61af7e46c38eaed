"""Heavy frames are throttled per member (issue 8.5): catch_up, history, edit, delete and flag past their limit
get `rate_limited` with `retry_after` and do nothing; catch_up is cut into pages; edits count under flood control
and slow mode."""

import pytest
from channels.db import database_sync_to_async

from chat import live, protocol
from chat.models import Message
from moderation.models import Flag

from .conftest import post

pytestmark = pytest.mark.django_db(transaction=True)


async def _refused(socket, request: str) -> dict:
    error = await socket.receive_type("error")
    assert error["code"] == "rate_limited" and error["request"] == request, error
    assert 1 <= error["retry_after"] <= 60
    return error


async def test_catch_up_past_its_limit_is_rate_limited_per_member(connect, room, member, member2):
    limit, _ = live.FRAME_LIMITS["catch_up"]
    sam = await connect(member, room.slug)
    for _ in range(limit):
        await sam.send({"type": "catch_up", "after_seq": 0})
        await sam.receive_type("caught_up")
    await sam.send({"type": "catch_up", "after_seq": 0})
    await _refused(sam, "catch_up")
    assert await sam.nothing()  # no caught_up, no messages
    # Someone else is not affected.
    jordan = await connect(member2, room.slug)
    await jordan.send({"type": "catch_up", "after_seq": 0})
    assert (await jordan.receive_type("caught_up"))["seq"] == 0


async def test_the_limit_holds_across_the_members_sockets(connect, room, member):
    limit, _ = live.FRAME_LIMITS["history"]
    first, second = await connect(member, room.slug), await connect(member, room.slug)
    for n in range(limit):
        socket = first if n % 2 else second
        await socket.send({"type": "history", "before_seq": 1})
        await socket.receive_type("history")
    await first.send({"type": "history", "before_seq": 1})
    await _refused(first, "history")


async def test_catch_up_is_cut_into_pages_the_client_asks_for_with_more(connect, room, member, relaxed_flood):
    for n in range(protocol.CATCH_UP_LIMIT + 5):
        await post(room, member, f"m{n}")
    socket = await connect(member, room.slug)
    await socket.send({"type": "catch_up", "after_seq": 0})
    first = [await socket.receive_type("message") for _ in range(protocol.CATCH_UP_LIMIT)]
    page = await socket.receive_type("caught_up")
    assert page == {"type": "caught_up", "seq": protocol.CATCH_UP_LIMIT, "more": True}
    assert [m["seq"] for m in first] == list(range(1, protocol.CATCH_UP_LIMIT + 1))
    await socket.send({"type": "catch_up", "after_seq": page["seq"]})
    rest = [await socket.receive_type("message") for _ in range(5)]
    assert [m["seq"] for m in rest] == list(range(protocol.CATCH_UP_LIMIT + 1, protocol.CATCH_UP_LIMIT + 6))
    assert (await socket.receive_type("caught_up"))["more"] is False


async def test_edits_are_rate_limited_and_a_refused_edit_changes_nothing(connect, room, member, settings):
    settings.CHAT_FRAME_LIMITS = {"edit": (3, 30)}
    message = (await post(room, member, "v0")).message
    socket = await connect(member, room.slug)
    for n in range(1, 4):
        await socket.send({"type": "edit", "id": message.pk, "body": f"v{n}"})
        await socket.receive_type("message_edited")
    await socket.send({"type": "edit", "id": message.pk, "body": "v4"})
    await _refused(socket, "edit")
    await database_sync_to_async(message.refresh_from_db)()
    assert message.body == "v3"


async def test_edits_count_under_flood_control(connect, room, member, settings):
    settings.CHAT_FLOOD_LIMITS = ((3, 30), (3, 30))
    message = (await post(room, member, "v0")).message  # 1 of 3
    socket = await connect(member, room.slug)
    for n in (1, 2):
        await socket.send({"type": "edit", "id": message.pk, "body": f"v{n}"})
        await socket.receive_type("message_edited")
    await socket.send({"type": "send", "body": "one more", "client_id": "x"})
    assert (await socket.receive_type("error"))["code"] == "rate_limited"
    await socket.send({"type": "edit", "id": message.pk, "body": "v3"})
    assert (await socket.receive_type("error"))["code"] == "rate_limited"
    assert await database_sync_to_async(Message.objects.count)() == 1


async def test_edits_count_under_slow_mode_with_a_turn_of_their_own(connect, room, member, moderator):
    room.slow_mode_seconds = 60
    await database_sync_to_async(room.save)()
    socket = await connect(member, room.slug)
    await socket.send({"type": "send", "body": "first", "client_id": "1"})
    message = await socket.receive_type("message")
    # Fixing a typo right after sending is allowed once...
    await socket.send({"type": "edit", "id": message["id"], "body": "first, fixed"})
    await socket.receive_type("message_edited")
    # ...but a stream of edits is held to the room's pace, like messages.
    await socket.send({"type": "edit", "id": message["id"], "body": "again"})
    error = await socket.receive_type("error")
    assert error["code"] == "slow_mode" and error["request"] == "edit" and error["retry_after"] >= 1
    # Moderators are not slowed.
    mod = await connect(moderator, room.slug)
    await mod.send({"type": "send", "body": "mod", "client_id": "m"})
    mine = await mod.receive_type("message")
    for body in ("a", "b"):
        await mod.send({"type": "edit", "id": mine["id"], "body": body})
        await mod.receive_type("message_edited")


async def test_deletes_are_rate_limited(connect, room, member, settings):
    settings.CHAT_FRAME_LIMITS = {"delete": (2, 30)}
    messages = [(await post(room, member, f"m{n}")).message for n in range(3)]
    socket = await connect(member, room.slug)
    for message in messages[:2]:
        await socket.send({"type": "delete", "id": message.pk})
        await socket.receive_type("message_removed")
    await socket.send({"type": "delete", "id": messages[2].pk})
    await _refused(socket, "delete")
    await database_sync_to_async(messages[2].refresh_from_db)()
    assert messages[2].is_visible


async def test_flags_are_rate_limited(connect, room, member, member2, settings):
    settings.CHAT_FRAME_LIMITS = {"flag": (2, 60)}
    messages = [(await post(room, member2, f"m{n}")).message for n in range(3)]
    socket = await connect(member, room.slug)
    for message in messages[:2]:
        await socket.send({"type": "flag", "id": message.pk, "reason": "spam"})
        await socket.receive_type("flagged")
    await socket.send({"type": "flag", "id": messages[2].pk, "reason": "spam"})
    await _refused(socket, "flag")
    assert await database_sync_to_async(Flag.objects.count)() == 2


async def test_reads_past_their_limit_are_dropped_quietly(connect, room, member, member2, settings):
    settings.CHAT_FRAME_LIMITS = {"read": (1, 60)}
    for n in range(3):
        await post(room, member2, f"m{n}")
    socket = await connect(member, room.slug)
    await socket.send({"type": "read", "seq": 1})
    await socket.send({"type": "read", "seq": 3})
    assert await socket.nothing()
    from chat.selectors import read_seq

    assert await database_sync_to_async(read_seq)(user=member, room=room) == 1
