"""Bad frames get a clear `error` and change nothing; the socket stays open (except for oversized frames)."""

import json

import pytest
from channels.db import database_sync_to_async

from chat.models import Message

from .conftest import post

pytestmark = pytest.mark.django_db(transaction=True)


async def _still_open(socket) -> None:
    await socket.send({"type": "catch_up", "after_seq": 0})
    assert (await socket.receive_type("caught_up"))["type"] == "caught_up"


async def _count():
    return await database_sync_to_async(Message.objects.count)()


@pytest.mark.parametrize("text", ["not json", "{", "[1, 2]", "42", '"send"', "{}", '{"type": 7}', "null"])
async def test_bad_json_is_invalid_and_the_socket_stays_open(connect, room, member, text):
    socket = await connect(member, room.slug)
    await socket.communicator.send_to(text_data=text)
    error = await socket.receive_type("error")
    assert error["code"] == "invalid" and error["detail"]
    await _still_open(socket)


async def test_unknown_type_is_invalid(connect, room, member):
    socket = await connect(member, room.slug)
    await socket.send({"type": "shout", "body": "hi"})
    error = await socket.receive_type("error")
    assert error["code"] == "invalid" and "shout" in error["detail"]
    await _still_open(socket)


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "send"},
        {"type": "send", "body": 5, "client_id": "x"},
        {"type": "send", "body": "   ", "client_id": "x"},
        {"type": "send", "body": "hi", "client_id": 12},
        {"type": "catch_up"},
        {"type": "catch_up", "after_seq": -1},
        {"type": "catch_up", "after_seq": "3"},
        {"type": "catch_up", "after_seq": True},
        {"type": "catch_up", "after_seq": 0, "since": "yesterday"},
        {"type": "history", "before_seq": 0},
        {"type": "history", "before_seq": 5, "limit": 0},
        {"type": "edit", "id": "x", "body": "y"},
        {"type": "edit", "id": 999999, "body": "y"},
        {"type": "delete"},
        {"type": "delete", "id": 999999},
        {"type": "flag", "id": 999999, "reason": "spam"},
        {"type": "read"},
        {"type": "read", "seq": -2},
    ],
)
async def test_malformed_fields_are_invalid_and_store_nothing(connect, room, member, frame):
    socket = await connect(member, room.slug)
    await socket.send(frame)
    assert (await socket.receive_type("error"))["code"] == "invalid"
    assert await _count() == 0
    await _still_open(socket)


async def test_a_body_over_4000_characters_is_too_long_and_not_stored(connect, room, member):
    socket = await connect(member, room.slug)
    await socket.send({"type": "send", "body": "a" * 4001, "client_id": "x"})
    error = await socket.receive_type("error")
    assert error["code"] == "too_long" and "4,000" in error["detail"]
    assert await _count() == 0
    await socket.send({"type": "send", "body": "a" * 4000, "client_id": "y"})
    assert (await socket.receive_type("message"))["seq"] == 1


async def test_an_edit_over_4000_characters_is_too_long(connect, room, member):
    message = (await post(room, member, "short")).message
    socket = await connect(member, room.slug)
    await socket.send({"type": "edit", "id": message.pk, "body": "b" * 4001})
    assert (await socket.receive_type("error"))["code"] == "too_long"
    await database_sync_to_async(message.refresh_from_db)()
    assert message.body == "short"


async def test_a_frame_over_64_kib_is_refused_with_an_error_and_the_socket_stays_open(connect, room, member):
    # Daphne cannot send close code 1009, so the socket used to end with 1011 and leak its slot (issue 8.4).
    socket = await connect(member, room.slug)
    await socket.communicator.send_to(text_data=json.dumps({"type": "send", "body": "x" * 70_000, "client_id": "a"}))
    error = await socket.receive_type("error")
    assert error["code"] == "too_long" and "64 KiB" in error["detail"]
    assert await _count() == 0
    await _still_open(socket)


async def test_binary_frames_are_invalid(connect, room, member):
    socket = await connect(member, room.slug)
    await socket.communicator.send_to(bytes_data=b'{"type": "typing"}')
    assert (await socket.receive_type("error"))["code"] == "invalid"
    await _still_open(socket)


async def test_a_message_id_from_another_room_is_not_found(connect, room, member):
    from .factories import RoomFactory

    other = await database_sync_to_async(RoomFactory)()
    message = (await post(other, member, "elsewhere")).message
    socket = await connect(member, room.slug)
    await socket.send({"type": "delete", "id": message.pk})
    assert (await socket.receive_type("error"))["code"] == "invalid"
    await database_sync_to_async(message.refresh_from_db)()
    assert message.state == "visible"
