"""No frame and no failure inside a handler ends the socket with 1011 or leaks the member's socket slot (issue
8.4): each bad frame gets an `error` frame and the socket stays open; a database or channel-layer failure becomes
an `error` frame (`unavailable`), or a close the page reconnects after (4503) when the socket cannot be set up.

Run on SQLite and on PostgreSQL (DATABASE_URL): NUL in text fails only on PostgreSQL."""

import json
import time

import pytest
from channels.db import database_sync_to_async
from django.db import OperationalError

from chat import fanout, live, services
from chat.models import Message
from chat.protocol import CLOSE_TRY_AGAIN
from moderation.models import Flag

from .conftest import open_socket, post

pytestmark = pytest.mark.django_db(transaction=True)


async def _still_open(socket) -> None:
    await socket.send({"type": "catch_up", "after_seq": 0})
    while (frame := await socket.receive())["type"] != "caught_up":
        assert frame["type"] in ("message", "presence", "typing"), frame


def _open_sockets(user) -> int:
    return len(live._live_sockets(user, time.time()))


async def _count(model=Message) -> int:
    return await database_sync_to_async(model.objects.count)()


@pytest.mark.parametrize("depth", [1_000, 30_000])  # 30,000 deep still fits in a 64 KiB frame
async def test_json_nested_deeply_is_invalid(connect, room, member, depth):
    socket = await connect(member, room.slug)
    await socket.communicator.send_to(text_data="[" * depth + "]" * depth)
    assert (await socket.receive_type("error"))["code"] == "invalid"
    await socket.communicator.send_to(text_data='{"type": "send", "body": ' + "[" * depth + "]" * depth + "}")
    assert (await socket.receive_type("error"))["code"] == "invalid"
    await _still_open(socket)


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "send", "body": "nul \x00 in the middle", "client_id": "n"},
        {"type": "send", "body": "a lone \ud800 surrogate", "client_id": "s"},
        {"type": "send", "body": "fine", "client_id": "nul\x00"},
        {"type": "send\x00", "body": "fine"},
        {"type": "send", "body": "fine", "\ud800": 1},
    ],
)
async def test_text_that_cannot_be_stored_is_invalid_and_nothing_is_stored(connect, room, member, frame):
    socket = await connect(member, room.slug)
    await socket.communicator.send_to(text_data=json.dumps(frame))  # ensure_ascii spells them \u0000, \ud800
    error = await socket.receive_type("error")
    assert error["code"] == "invalid" and error["detail"]
    assert await _count() == 0
    await _still_open(socket)


@pytest.mark.parametrize("field", [{"note": "see \x00 here"}, {"note": "\udfff"}, {"reason": "spam\x00"}])
async def test_a_flag_note_that_cannot_be_stored_is_invalid(connect, room, member, member2, field):
    message = (await post(room, member2, "hello")).message
    socket = await connect(member, room.slug)
    await socket.send({"type": "flag", "id": message.pk, "reason": "spam", **field})
    assert (await socket.receive_type("error"))["code"] == "invalid"
    assert await _count(Flag) == 0
    await _still_open(socket)


async def test_an_edit_with_nul_is_invalid_and_the_text_is_kept(connect, room, member):
    message = (await post(room, member, "original")).message
    socket = await connect(member, room.slug)
    await socket.send({"type": "edit", "id": message.pk, "body": "changed\x00"})
    assert (await socket.receive_type("error"))["code"] == "invalid"
    await database_sync_to_async(message.refresh_from_db)()
    assert message.body == "original"


@pytest.mark.parametrize(
    "since",
    [
        "2024-13-45T00:00:00+00:00",
        "2024-02-30T10:00:00Z",
        "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00:00+23:59",
        "2024-01-01T25:61:00",
        "1" * 10_000,
    ],
)
async def test_an_impossible_since_is_invalid(connect, room, member, since):
    socket = await connect(member, room.slug)
    await socket.send({"type": "catch_up", "after_seq": 0, "since": since})
    error = await socket.receive_type("error")
    assert error["code"] == "invalid" and error["request"] == "catch_up"
    await _still_open(socket)


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "catch_up", "after_seq": 10**30},
        {"type": "history", "before_seq": 2**63},
        {"type": "read", "seq": 2**64},
        {"type": "delete", "id": 10**100},
    ],
)
async def test_numbers_too_large_for_the_database_are_invalid(connect, room, member, frame):
    socket = await connect(member, room.slug)
    await socket.send(frame)
    assert (await socket.receive_type("error"))["code"] == "invalid"
    await _still_open(socket)


async def test_a_client_id_over_64_characters_is_refused_not_cut(connect, room, member):
    socket = await connect(member, room.slug)
    await socket.send({"type": "send", "body": "hello", "client_id": "x" * 65})
    error = await socket.receive_type("error")
    assert error["code"] == "invalid" and "64" in error["detail"]
    assert await _count() == 0
    await socket.send({"type": "send", "body": "hello", "client_id": "x" * 64})
    assert (await socket.receive_type("message"))["client_id"] == "x" * 64


async def test_a_database_error_in_a_handler_is_an_error_frame_and_the_socket_stays_open(
    connect, room, member, monkeypatch
):
    socket = await connect(member, room.slug)

    def broken(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "post_message", broken)
    await socket.send({"type": "send", "body": "will it land?", "client_id": "db"})
    error = await socket.receive_type("error")
    assert error["code"] == "unavailable" and error["request"] == "send" and error["detail"]
    monkeypatch.undo()
    await socket.send({"type": "send", "body": "and now?", "client_id": "db2"})
    assert (await socket.receive_type("message"))["client_id"] == "db2"


async def test_a_cache_error_in_a_handler_is_an_error_frame(connect, room, member, monkeypatch):
    socket = await connect(member, room.slug)

    def broken(*args, **kwargs):
        raise ConnectionError("Redis went away")

    monkeypatch.setattr(live, "check_frame_rate", broken)
    await socket.send({"type": "history", "before_seq": 5})
    assert (await socket.receive_type("error"))["code"] == "unavailable"
    monkeypatch.undo()
    await _still_open(socket)


async def test_a_crash_in_a_handler_gives_the_socket_slot_back_on_disconnect(connect, room, member, monkeypatch):
    socket = await connect(member, room.slug)

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "mark_read", broken)
    await socket.send({"type": "read", "seq": 0})
    assert (await socket.receive_type("error"))["code"] == "unavailable"
    assert await database_sync_to_async(_open_sockets)(member) == 1
    await socket.close()
    assert await database_sync_to_async(_open_sockets)(member) == 0


async def test_five_crashes_do_not_lock_a_member_out(connect, room, member, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "mark_read", broken)
    for _ in range(6):
        socket = await connect(member, room.slug)
        await socket.send({"type": "read", "seq": 0})
        await socket.receive_type("error")
        await socket.close()
    assert (await connect(member, room.slug)).hello["type"] == "hello"


async def test_a_failure_while_setting_up_closes_with_4503_and_gives_the_slot_back(room, member, monkeypatch):
    join = fanout.Hub.join

    async def broken(self, group, consumer):
        # The room's group, joined after the socket slot was taken and hello sent (the member's own group first).
        if group.startswith(fanout.ROOM_GROUP_PREFIX):
            raise ConnectionError("Redis went away")
        await join(self, group, consumer)

    monkeypatch.setattr(fanout.Hub, "join", broken)
    socket = await open_socket(member, room.slug, greet=False)
    assert (await socket.receive_type("hello"))["type"] == "hello"
    closed = await socket.receive_type("__closed__")
    assert closed["code"] == CLOSE_TRY_AGAIN
    assert await database_sync_to_async(_open_sockets)(member) == 0
