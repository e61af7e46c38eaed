"""A member whose connection stops reading is closed with 4408 "too slow" and loses nothing: each socket's
queue of broadcast frames is bounded (CHAT_SEND_QUEUE_FRAMES), the room goes on for everyone else, and the
reconnect's catch_up brings back every message missed."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from chat import fanout
from chat.consumers import FELL_BEHIND_REASON
from community.asgi import application

from .conftest import ORIGIN, Socket, cookie_for, post

pytestmark = pytest.mark.django_db(transaction=True)


class StallingQueue(asyncio.Queue):
    """The socket's outgoing side. While stalled, a write waits, as the server's does when the member's
    connection is not reading (its buffer for that connection is full)."""

    def __init__(self):
        super().__init__()
        self.flowing = asyncio.Event()
        self.flowing.set()

    async def put(self, item):
        await self.flowing.wait()
        await super().put(item)


class SlowReader(WebsocketCommunicator):
    @property
    def output_queue(self):
        if self._output_queue is None:
            self._output_queue = StallingQueue()
        return self._output_queue


async def open_slow_socket(user, slug: str) -> Socket:
    cookie = (b"cookie", await database_sync_to_async(cookie_for)(user))
    communicator = SlowReader(application, f"/ws/chat/{slug}/", headers=[ORIGIN, cookie])
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    socket = Socket(communicator)
    socket.hello = await socket.receive_type("hello")
    await socket.receive_type("presence")
    return socket


async def frames_held(room, count: int, timeout: float = 5) -> None:
    """Wait until the room's sockets here hold `count` broadcast frames between them (a write the server made
    wait, and the frames queued behind it)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        sockets = fanout.hub().rooms.get(fanout.room_group(room.pk), ())
        held = sum((s._drainer is not None) + len(s._backlog or ()) for s in sockets)
        if held >= count:
            return
        assert loop.time() < deadline, f"only {held} of {count} frames reached the sockets"
        await asyncio.sleep(0.01)


@pytest.fixture
def small_queue(settings, relaxed_flood):
    settings.CHAT_SEND_QUEUE_FRAMES = 3


async def test_a_socket_that_stops_reading_is_closed_too_slow_and_catches_up_everything(
    connect, room, member, member2, small_queue
):
    slow = await open_slow_socket(member, room.slug)
    other = await connect(member2, room.slug)
    slow.communicator.output_queue.flowing.clear()  # the member's connection stops reading

    for n in range(10):
        await post(room, member2, f"message {n}")
    # Everyone else gets every message, at once and in order: the stalled socket holds nobody up.
    received = [await other.receive_type("message") for _ in range(10)]
    assert [f["html"] for f in received] == [f"<p>message {n}</p>" for n in range(10)]

    slow.communicator.output_queue.flowing.set()
    outputs = []
    while True:
        output = await slow.communicator.receive_output(3)
        outputs.append(output)
        if output["type"] == "websocket.close":
            break
    assert outputs[-1] == {"type": "websocket.close", "code": 4408, "reason": FELL_BEHIND_REASON}
    # Nothing past the bound was kept for it: at most the frame that was being written and the queued three.
    assert len(outputs) - 1 <= 4

    again = await connect(member, room.slug)
    await again.send({"type": "catch_up", "after_seq": slow.hello["seq"]})
    recovered = [await again.receive_type("message") for _ in range(10)]
    assert [f["html"] for f in recovered] == [f"<p>message {n}</p>" for n in range(10)]
    assert (await again.receive_type("caught_up"))["seq"] == received[-1]["seq"]


async def test_a_short_stall_within_the_bound_delivers_everything_in_order_and_keeps_the_socket(
    connect, room, member, member2, small_queue
):
    slow = await open_slow_socket(member, room.slug)
    slow.communicator.output_queue.flowing.clear()
    for n in range(3):  # one write waiting, two queued behind it: within the bound of three
        await post(room, member2, f"message {n}")
    await asyncio.sleep(0.1)
    slow.communicator.output_queue.flowing.set()

    frames = [await slow.receive_type("message") for _ in range(3)]
    assert [f["html"] for f in frames] == [f"<p>message {n}</p>" for n in range(3)]
    # Still open, and its own requests are answered after the frames that were waiting.
    await slow.send({"type": "catch_up", "after_seq": frames[-1]["seq"]})
    assert (await slow.receive_type("caught_up"))["seq"] == frames[-1]["seq"]


async def test_a_reply_to_the_member_waits_behind_the_broadcast_frames_already_queued(
    connect, room, member, member2, small_queue
):
    slow = await open_slow_socket(member, room.slug)
    slow.communicator.output_queue.flowing.clear()
    await post(room, member2, "first")
    await post(room, member2, "second")
    # Both broadcasts have reached the socket (on the Redis layer they arrive a moment after the publish): one
    # write waiting, one frame queued behind it.
    await frames_held(room, 2)
    await slow.send({"type": "catch_up", "after_seq": slow.hello["seq"] + 2})
    await asyncio.sleep(0.2)
    slow.communicator.output_queue.flowing.set()

    kinds = []
    while "caught_up" not in kinds:
        frame = json.loads((await slow.communicator.receive_output(3))["text"])
        if frame["type"] in ("message", "caught_up"):
            kinds.append(frame["type"])
    assert kinds == ["message", "message", "caught_up"]
