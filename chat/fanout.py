"""Getting one prepared frame to every socket in a room, in this process and in the others.

Measured (PERFORMANCE-NOTES.md): encoding JSON once per message, publishing it once per process and writing it
straight to the sockets this process holds is what keeps p95 low at hundreds of clients. So each process runs
one "hub" per event loop: the hub's single channel joins the layer group of every room that has a socket
here, and copies each frame it receives to those sockets. A broadcast then costs one layer message per
process instead of one per socket, and the in-memory layer's per-channel bookkeeping stays O(rooms).

Per-user groups (closing a member's sockets) use ordinary consumer channels: they are rare.
"""

import asyncio
import json
import logging
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

FRAME = "chat.frame"
# The in-memory layer forgets group members after a day; the hub renews its memberships well before that.
GROUP_RENEW_SECONDS = 3600


def encode(frame: dict) -> str:
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


def room_group(room_id: int) -> str:
    return f"chat.room.{room_id}"


def user_group(user_id: int) -> str:
    return f"chat.user.{user_id}"


def broadcast(room_id: int, frame: dict) -> None:
    """Send a frame to everyone in the room once the current transaction commits (at once outside one)."""
    text = encode(frame)
    transaction.on_commit(
        lambda: _publish(room_group(room_id), {"type": FRAME, "group": room_group(room_id), "text": text})
    )


def send_to_user(user_id: int, event: dict) -> None:
    transaction.on_commit(lambda: _publish(user_group(user_id), event))


def _publish(group: str, event: dict) -> None:
    layer = get_channel_layer()
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(layer.group_send)(group, event)
        return
    # Called on the event loop's own thread (not the case for our services, which run in worker threads).
    asyncio.ensure_future(layer.group_send(group, event))


class Hub:
    """The local fan-out of one event loop: room group -> the consumers here that are in the room."""

    def __init__(self, layer):
        self.layer = layer
        self.channel: str | None = None
        self.rooms: dict[str, set] = {}
        self.task: asyncio.Task | None = None
        self.lock = asyncio.Lock()

    async def join(self, group: str, consumer) -> None:
        async with self.lock:
            if self.channel is None:
                self.channel = await self.layer.new_channel("chat.hub.")
                self.task = asyncio.get_running_loop().create_task(self._pump(self.channel))
            members = self.rooms.setdefault(group, set())
            if not members:
                await self.layer.group_add(group, self.channel)
            members.add(consumer)

    async def leave(self, group: str, consumer) -> None:
        async with self.lock:
            members = self.rooms.get(group)
            if members is None:
                return
            members.discard(consumer)
            if members:
                return
            del self.rooms[group]
            await self.layer.group_discard(group, self.channel)
            if not self.rooms and self.task is not None:
                self.task.cancel()
                self.task = None
                self.channel = None

    async def _pump(self, channel: str) -> None:
        renewed_at = time.monotonic()
        while True:
            try:
                # Wake at least every GROUP_RENEW_SECONDS, so that a quiet room's membership is renewed too.
                event = await asyncio.wait_for(self.layer.receive(channel), timeout=GROUP_RENEW_SECONDS)
            except TimeoutError:
                event = None
            except asyncio.CancelledError:
                raise
            except Exception:  # a layer hiccup must not end delivery for the whole process
                logger.exception("chat hub receive failed")
                await asyncio.sleep(0.5)
                continue
            if event is not None:
                message = {"type": "websocket.send", "text": event.get("text", "")}
                for consumer in tuple(self.rooms.get(event.get("group"), ())):
                    try:
                        await consumer.base_send(message)
                    except Exception:  # one broken socket must not stop the others
                        logger.debug("chat hub could not write to a socket", exc_info=True)
            if time.monotonic() - renewed_at > GROUP_RENEW_SECONDS:
                renewed_at = time.monotonic()
                for group in tuple(self.rooms):
                    await self.layer.group_add(group, channel)


_hubs: dict[asyncio.AbstractEventLoop, Hub] = {}


def hub() -> Hub:
    loop = asyncio.get_running_loop()
    found = _hubs.get(loop)
    if found is None:
        # Tests run one event loop each; forget hubs of loops that have ended.
        for old in [old for old in _hubs if old.is_closed()]:
            del _hubs[old]
        found = _hubs[loop] = Hub(get_channel_layer())
    return found
