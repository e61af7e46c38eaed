import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from chat import services
from community.asgi import application
from members.audience import Audience
from tests.factories import programme_group

from .factories import RoomFactory

ORIGIN = (b"origin", b"http://testserver")


@pytest.fixture
def relaxed_flood(settings):
    """For tests that build long histories: flood control is tested on its own."""
    settings.CHAT_FLOOD_LIMITS = ((10_000, 30), (10_000, 30))


@pytest.fixture
def room(db):
    return RoomFactory(name="Evening circle", slug="evening-circle")


@pytest.fixture
def teen_room(db):
    return RoomFactory(name="Teen hangout", slug="teen-hangout", audience=Audience.TEENS)


@pytest.fixture
def group_room(db):
    return RoomFactory(
        name="Relapse prevention alumni",
        slug="rp-alumni",
        audience=Audience.GROUPS,
        programme_groups=[programme_group("relapse-prevention")],
    )


def cookie_for(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


class Socket:
    """A WebsocketCommunicator that speaks JSON frames and knows the protocol's greeting."""

    def __init__(self, communicator: WebsocketCommunicator):
        self.communicator = communicator

    async def send(self, frame: dict) -> None:
        await self.communicator.send_to(text_data=json.dumps(frame))

    async def receive(self, timeout: float = 3) -> dict:
        output = await self.communicator.receive_output(timeout)
        if output["type"] == "websocket.close":
            return {"type": "__closed__", "code": output.get("code")}
        return json.loads(output["text"])

    async def receive_type(self, kind: str, timeout: float = 3) -> dict:
        """The next frame of `kind`, skipping presence, typing and heartbeat chatter."""
        while True:
            frame = await self.receive(timeout)
            if frame["type"] == kind:
                return frame
            if frame["type"] not in ("presence", "typing", "heartbeat"):
                raise AssertionError(f"expected {kind}, got {frame}")

    async def drain(self, timeout: float = 0.2) -> list[dict]:
        """Everything that arrives within `timeout`."""
        frames = []
        while not await self.communicator.receive_nothing(timeout):
            frames.append(await self.receive())
        return frames

    async def nothing(self, timeout: float = 0.3) -> bool:
        return await self.communicator.receive_nothing(timeout)

    async def close(self) -> None:
        await self.communicator.disconnect()


async def open_socket(user, slug: str, *, origin=ORIGIN, greet: bool = True) -> Socket:
    headers = [origin]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(cookie_for)(user)))
    communicator = WebsocketCommunicator(application, f"/ws/chat/{slug}/", headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    socket = Socket(communicator)
    if greet:
        hello = await socket.receive()
        assert hello["type"] == "hello", hello
        socket.hello = hello
        presence = await socket.receive()
        assert presence["type"] == "presence", presence
        socket.presence = presence
    return socket


@pytest.fixture
async def connect():
    """`await connect(user, slug)`: an open, greeted socket; all are closed after the test."""
    opened = []

    async def _connect(user, slug, **kwargs):
        socket = await open_socket(user, slug, **kwargs)
        opened.append(socket)
        return socket

    yield _connect
    for socket in opened:
        try:
            await socket.close()
        except (Exception, asyncio.CancelledError):  # noqa: BLE001 - closed by the server, or the test timed out
            pass


async def post(room, user, body: str):
    return await database_sync_to_async(services.post_message)(room=room, author=user, body=body)


def settle():
    return asyncio.sleep(0.05)
