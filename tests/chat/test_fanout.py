"""The per-process hub that copies each room frame to the sockets of this process."""

import asyncio

import pytest
from channels.layers import InMemoryChannelLayer, get_channel_layer

from chat import fanout

from .conftest import post

pytestmark = pytest.mark.django_db(transaction=True)


async def test_one_layer_message_per_process_reaches_every_local_socket(connect, room, member, member2):
    sockets = [await connect(member, room.slug), await connect(member2, room.slug), await connect(member, room.slug)]
    hub = fanout.hub()
    assert len(hub.rooms[fanout.room_group(room.pk)]) == 3
    await post(room, member2, "to all three")
    for socket in sockets:
        assert (await socket.receive_type("message"))["html"] == "<p>to all three</p>"


async def test_the_hub_leaves_a_room_when_its_last_local_socket_closes(connect, room, member):
    socket = await connect(member, room.slug)
    hub = fanout.hub()
    assert fanout.room_group(room.pk) in hub.rooms
    await socket.close()
    assert fanout.room_group(room.pk) not in hub.rooms
    assert not hub.tasks


async def test_a_quiet_room_keeps_its_layer_membership(connect, room, member, member2, monkeypatch):
    layer = get_channel_layer()
    if not isinstance(layer, InMemoryChannelLayer):
        pytest.skip("only the in-memory layer forgets group members after group_expiry")
    monkeypatch.setattr(fanout, "GROUP_RENEW_SECONDS", 0.05)
    monkeypatch.setattr(layer, "group_expiry", 1)  # the layer compares whole seconds
    socket = await connect(member, room.slug)
    await asyncio.sleep(2.5)  # longer than the expiry: without renewal the hub would be dropped from the group
    await post(room, member2, "still here?")
    assert (await socket.receive_type("message"))["html"] == "<p>still here?</p>"
