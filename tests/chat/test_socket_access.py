"""Who may open a room's socket: close codes 4401 / 4403 after accepting, foreign Origins refused outright."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from chat import services
from chat.protocol import CLOSE_NOT_ALLOWED, CLOSE_NOT_SIGNED_IN, CLOSE_SANCTIONED, CLOSE_TOO_MANY_SOCKETS
from community.asgi import application
from tests.factories import UserFactory

from .conftest import ORIGIN, cookie_for, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def _close_code(user, slug, origin=ORIGIN):
    socket = await open_socket(user, slug, origin=origin, greet=False)
    frame = await socket.receive()
    return frame.get("code") if frame["type"] == "__closed__" else frame


async def test_a_visitor_is_closed_with_4401(room):
    assert await _close_code(None, room.slug) == CLOSE_NOT_SIGNED_IN


async def test_an_applicant_is_closed_with_4403(room, applicant):
    assert await _close_code(applicant, room.slug) == CLOSE_NOT_ALLOWED


async def test_a_teen_is_closed_with_4403_from_an_adult_room(room, teen_member):
    assert await _close_code(teen_member, room.slug) == CLOSE_NOT_ALLOWED


async def test_an_adult_is_closed_with_4403_from_a_teen_room(teen_room, member):
    assert await _close_code(member, teen_room.slug) == CLOSE_NOT_ALLOWED


async def test_a_moderator_without_teen_clearance_is_closed_from_a_teen_room(teen_room, moderator):
    assert await _close_code(moderator, teen_room.slug) == CLOSE_NOT_ALLOWED


async def test_teen_cleared_staff_may_enter_a_teen_room(connect, teen_room, staff, teen_member):
    teen = await connect(teen_member, teen_room.slug)
    team = await connect(staff, teen_room.slug)
    assert team.hello["room"]["slug"] == teen_room.slug
    await teen.send({"type": "send", "body": "hi", "client_id": "t"})
    assert (await team.receive_type("message"))["author"]["name"] == "Riley"


async def test_a_member_outside_the_programme_groups_is_closed_with_4403(group_room, member):
    assert await _close_code(member, group_room.slug) == CLOSE_NOT_ALLOWED


async def test_a_member_of_the_programme_group_may_enter(connect, group_room):
    from tests.factories import programme_group

    def make_alum():
        return UserFactory(programme_groups=[programme_group("relapse-prevention")])

    alum = await database_sync_to_async(make_alum)()
    socket = await connect(alum, group_room.slug)
    assert socket.hello["seq"] == 0


async def test_an_unknown_room_looks_the_same_as_a_forbidden_one(member):
    assert await _close_code(member, "no-such-room") == CLOSE_NOT_ALLOWED


async def test_a_foreign_origin_is_refused_at_the_handshake(room, member):
    cookie = await database_sync_to_async(cookie_for)(member)
    communicator = WebsocketCommunicator(
        application, f"/ws/chat/{room.slug}/", headers=[(b"origin", b"https://evil.example"), (b"cookie", cookie)]
    )
    connected, _ = await communicator.connect()
    assert not connected


async def test_at_most_five_sockets_per_member(connect, room, member, member2):
    for _ in range(5):
        await connect(member, room.slug)
    sixth = await open_socket(member, room.slug, greet=False)
    error = await sixth.receive()
    assert error["type"] == "error" and error["code"] == "too_many_sockets"
    assert (await sixth.receive())["code"] == CLOSE_TOO_MANY_SOCKETS
    # Someone else is not affected, and closing one socket frees a place.
    await connect(member2, room.slug)


async def test_closing_a_socket_frees_a_place(connect, room, member):
    sockets = [await connect(member, room.slug) for _ in range(5)]
    await sockets[0].close()
    again = await connect(member, room.slug)
    assert again.hello["type"] == "hello"


async def test_close_member_sockets_closes_every_socket_of_that_member_with_4408(connect, room, member, member2):
    from .factories import RoomFactory

    other_room = await database_sync_to_async(RoomFactory)()
    first = await connect(member, room.slug)
    second = await connect(member, other_room.slug)
    bystander = await connect(member2, room.slug)
    await database_sync_to_async(services.close_member_sockets)(user=member)
    assert (await first.receive_type("__closed__"))["code"] == CLOSE_SANCTIONED
    assert (await second.receive_type("__closed__"))["code"] == CLOSE_SANCTIONED
    await bystander.send({"type": "catch_up", "after_seq": 0})
    assert (await bystander.receive_type("caught_up"))["seq"] == 0
