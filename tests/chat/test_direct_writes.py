"""Broadcast frames under the server we deploy (Uvicorn, websockets-sansio, permessage-deflate off): framed once
and written straight to each socket (chat.wire), they reach members intact and in order; a socket the server
has paused (its member reads slowly) or one that negotiated compression gets them the ordinary ASGI way.

Uvicorn runs in this test's own event loop, so the consumers it serves can be looked at; the members are real
WebSocket clients over loopback."""

import asyncio
import contextlib
import json

import pytest
import uvicorn
from channels.db import database_sync_to_async
from websockets.asyncio.client import connect

from chat import fanout
from community.asgi import application
from tests.servers import free_port

from .conftest import cookie_for, post

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def uvicorn_server():
    """`await uvicorn_server(deflate=False)`: the site served by Uvicorn with the deploy's WebSocket flags."""
    servers = []

    async def start(*, deflate: bool = False):
        config = uvicorn.Config(
            application,
            host="127.0.0.1",
            port=free_port(),
            loop="none",
            http="httptools",
            ws="websockets-sansio",
            ws_max_size=65536,
            ws_per_message_deflate=deflate,
            lifespan="off",
            log_level="warning",
        )
        server = uvicorn.Server(config)
        server.capture_signals = contextlib.nullcontext  # the test runner keeps its own signal handlers
        task = asyncio.ensure_future(server.serve())
        while not server.started:
            assert not task.done(), "Uvicorn did not start"
            await asyncio.sleep(0.02)
        servers.append((server, task))
        return config.port

    yield start
    for server, task in servers:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


class Member:
    def __init__(self, ws):
        self.ws = ws

    async def frame(self, kind: str, timeout: float = 5) -> dict:
        while True:
            frame = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            if frame["type"] == kind:
                return frame


async def join(port: int, user, slug: str, *, compression: str | None = None) -> Member:
    cookie = (await database_sync_to_async(cookie_for)(user)).decode()
    ws = await connect(
        f"ws://127.0.0.1:{port}/ws/chat/{slug}/",
        additional_headers={"Cookie": cookie},
        origin=f"http://127.0.0.1:{port}",
        compression=compression,
        open_timeout=10,
    )
    member = Member(ws)
    await member.frame("presence")  # in the room
    return member


def sockets_in(room) -> list:
    return list(fanout.hub().rooms.get(fanout.room_group(room.pk), ()))


async def test_messages_reach_members_intact_and_in_order_written_straight_to_their_sockets(
    uvicorn_server, room, member, member2, relaxed_flood
):
    port = await uvicorn_server()
    reader = await join(port, member, room.slug)
    await join(port, member2, room.slug)
    assert len(sockets_in(room)) == 2
    assert all(socket._direct is not None for socket in sockets_in(room))  # the direct way is taken

    # A short frame, one past 125 bytes and one of some kilobytes (the frame's three length forms), with
    # characters of several bytes each.
    bodies = ["Morning all", "Día 30 🎉 " * 20, "Still here, one breath at a time. 🌱 " * 100]
    for body in bodies:
        await post(room, member2, body)
    received = [await reader.frame("message") for _ in bodies]
    assert [f["seq"] for f in received] == sorted(f["seq"] for f in received)
    assert received[0]["html"] == "<p>Morning all</p>"
    assert "Día 30 🎉" in received[1]["html"]
    assert received[2]["html"].count("🌱") == 100
    await reader.ws.close()


async def test_a_socket_the_server_has_paused_gets_its_frames_once_it_drains_in_order(
    uvicorn_server, room, member, member2, relaxed_flood
):
    port = await uvicorn_server()
    reader = await join(port, member, room.slug)
    (socket,) = sockets_in(room)
    # What the transport does when this member's connection stops taking data: the server's own send waits.
    socket._direct.protocol.pause_writing()
    await post(room, member2, "first")
    await post(room, member2, "second")
    for _ in range(100):
        if socket._backlog is not None:
            break
        await asyncio.sleep(0.01)
    assert socket._backlog is not None  # waiting behind the server's write, not written past it
    socket._direct.protocol.resume_writing()
    frames = [await reader.frame("message") for _ in range(2)]
    assert [f["html"] for f in frames] == ["<p>first</p>", "<p>second</p>"]
    # And once drained, the direct way again.
    await post(room, member2, "third")
    assert (await reader.frame("message"))["html"] == "<p>third</p>"
    assert socket._backlog is None
    await reader.ws.close()


async def test_with_compression_negotiated_frames_take_the_asgi_way_and_still_arrive(
    uvicorn_server, room, member, member2
):
    port = await uvicorn_server(deflate=True)
    reader = await join(port, member, room.slug, compression="deflate")
    (socket,) = sockets_in(room)
    assert socket._direct is None  # compressed frames differ per socket: nothing is written past the server
    await post(room, member2, "Thinking of you all tonight")
    assert (await reader.frame("message"))["html"] == "<p>Thinking of you all tonight</p>"
    await reader.ws.close()
