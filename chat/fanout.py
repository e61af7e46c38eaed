"""Getting one prepared frame to every socket in a room, in this process and in the others.

Measured (PERFORMANCE-NOTES.md): encoding JSON once per message, publishing it once per process and writing it
straight to the sockets this process holds is what keeps p95 low at hundreds of clients. So each process runs
one "hub" per event loop: the hub's single channel joins the layer group of every room that has a socket
here, and copies each frame it receives to those sockets. A broadcast then costs one layer message per
process instead of one per socket, and the in-memory layer's per-channel bookkeeping stays O(rooms).

Delivery through the layer is best effort (Redis pub/sub keeps nothing for a subscriber that is reconnecting),
while storage is not: every message is stored with its seq before it is published. So the hub also sends each
of its sockets a `heartbeat` carrying the room's latest seq; a page that sees a seq it has not received asks
with `catch_up`. A message whose broadcast was lost therefore still reaches every socket, a little later.

A socket's own database work (a `send`, a connect) publishes what it committed from the event loop once that
work returns (Outbox), not from inside the database thread, and in commit order.

The hub's channel is the only one a process holds: a socket has none of its own (each would cost memory per
connection, and on the in-memory layer a scan of every channel on every publish). What concerns one member
(closing or re-checking their sockets, chat.signals) is published to one group that every hub is in
(MEMBERS_GROUP), naming the member (`user_group`); each hub hands it to that member's sockets here, if any, by
their `member_event`. Such events are rare, so sending each to every process costs less than a group per
member would (a subscription per member on Redis, a group per member for the in-memory layer to scan). A room
re-check (its audience changed) is handed to the room's sockets the same way, each re-checking its own member.
"""

import asyncio
import json
import logging
import threading
import time

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from . import wire

logger = logging.getLogger(__name__)

FRAME = "chat.frame"
RECHECK = "chat.recheck"
# The in-memory layer forgets group members after a day; the hub renews its memberships well before that.
GROUP_RENEW_SECONDS = 3600
# A publish that fails is retried on a fresh connection: after a Redis restart or a killed connection the first
# command on a pooled connection fails, the next one reconnects. Bounded, because the caller is the one thread
# that runs this process's chat database work.
PUBLISH_RETRY_DELAYS = (0.05, 0.25)
PUBLISH_TIMEOUT = 3.0
ROOM_GROUP_PREFIX = "chat.room."
USER_GROUP_PREFIX = "chat.user."
# The one layer group for every member's events: each hub is in it while it has sockets (see above).
MEMBERS_GROUP = "chat.members"
# The hub's key for sockets that do not know their member yet (being set up): they hear every member's events.
WATCHING = f"{USER_GROUP_PREFIX}*"
# Frames that add or change a stored message: a hub relaying one forgets shared catch-up frames it concerns.
MESSAGE_CHANGES = frozenset({"message", "message_edited", "message_removed"})


def encode(frame: dict) -> str:
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


def room_group(room_id: int) -> str:
    return f"{ROOM_GROUP_PREFIX}{room_id}"


def user_group(user_id: int) -> str:
    """The hub's name for a member's sockets; their events travel in MEMBERS_GROUP (layer_group)."""
    return f"{USER_GROUP_PREFIX}{user_id}"


def layer_group(group: str) -> str:
    """The channel-layer group that carries what is published to `group`."""
    return MEMBERS_GROUP if group.startswith(USER_GROUP_PREFIX) else group


def heartbeat_seconds() -> float:
    return float(getattr(settings, "CHAT_HEARTBEAT_SECONDS", 25))


class Publication:
    """The outcome of an after-commit publish: `published` is None until the transaction commits (and, for work
    run by a socket, until the socket has published it from the event loop), then whether the channel layer took
    the event. A caller that learns it was not taken tells its own client directly."""

    published: bool | None = None


class Outbox:
    """Events committed by a socket's database work, published afterwards from the event loop (publish_from).

    A socket runs its database work in the one thread Channels keeps for it; publishing from inside that work
    meant a hop back to the event loop (async_to_sync) with the thread waiting, 11% of the server's CPU per
    message. The events still join the outbox only from on_commit, so nothing is broadcast that did not commit;
    a publish that fails is caught up by seq (the heartbeat), as before.
    """

    def __init__(self):
        self.events: list[tuple[str, dict, Publication | None]] = []
        self.closed = False
        self.lock = threading.Lock()

    def add(self, group: str, event: dict, publication: Publication | None = None) -> None:
        with self.lock:
            if not self.closed:
                self.events.append((group, event, publication))
                return
        # The socket stopped waiting for its work (cancelled): publish from this thread, as without an outbox.
        published = _publish_now(group, event)
        if publication is not None:
            publication.published = published

    def take(self) -> list[tuple[str, dict, Publication | None]]:
        with self.lock:
            self.closed = True
            events, self.events = self.events, []
        return events


_deferred = threading.local()


def run_deferring(outbox: Outbox, work, *args, **kwargs):
    """Run `work` (in a worker thread) with its after-commit publishes collected in `outbox`."""
    previous = getattr(_deferred, "outbox", None)
    _deferred.outbox = outbox
    try:
        return work(*args, **kwargs)
    finally:
        _deferred.outbox = previous


async def publish_from(outbox: Outbox) -> None:
    """Publish, in commit order, what a socket's database work committed (see Outbox)."""
    events = outbox.take()
    if not events:
        return
    layer = get_channel_layer()
    # One process-wide order: the database thread finishes works one after another, and their events leave in
    # that order even when a publish has to wait (Redis), so members see seqs in order.
    async with hub().publish_lock:
        for group, event, publication in events:
            published = await _publish_with_retry(layer, group, event)
            if publication is not None:
                publication.published = published


def broadcast(room_id: int, frame: dict, *, author_id: int | None = None) -> Publication:
    """Send a frame to everyone in the room once the current transaction commits (at once outside one).

    `author_id` names the member whose words or doing the frame carries (a message, an edit, typing): sockets
    of readers in a block with them get it collapsed or not at all (ChatConsumer.frame_text_for).
    """
    group, text = room_group(room_id), encode(frame)
    publication = Publication()
    event = {"type": FRAME, "group": group, "text": text, "kind": frame.get("type"), "author": author_id}
    if event["kind"] in MESSAGE_CHANGES:
        event["seq"] = frame.get("seq")

    def publish():
        outbox = getattr(_deferred, "outbox", None)
        if outbox is not None:
            outbox.add(group, event, publication)
        else:
            publication.published = _publish_now(group, event)

    transaction.on_commit(publish)
    return publication


def send_to_user(user_id: int, event: dict) -> None:
    """After commit, hand `event` to every socket of the member, in every process (ChatConsumer.member_event)."""
    event = {**event, "group": user_group(user_id)}  # each hub finds the member's sockets by it
    transaction.on_commit(lambda: _publish(MEMBERS_GROUP, event))


def recheck_room(room_id: int) -> None:
    """After commit, every socket in the room, in every process, re-checks that its member may still be there."""
    transaction.on_commit(lambda: _publish(room_group(room_id), {"type": RECHECK, "group": room_group(room_id)}))


def _publish(group: str, event: dict) -> None:
    """Inside a socket's database work, the event joins its outbox; elsewhere it is published at once."""
    outbox = getattr(_deferred, "outbox", None)
    if outbox is not None:
        outbox.add(group, event)
    else:
        _publish_now(group, event)


def _publish_now(group: str, event: dict) -> bool:
    """Publish, retrying on a fresh connection; never raises (what was stored stays stored, and the heartbeat
    brings it to the sockets this publish could not reach)."""
    layer = get_channel_layer()
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        in_worker_thread = True
    else:
        in_worker_thread = False
    if in_worker_thread:
        return async_to_sync(_publish_with_retry)(layer, group, event)
    # Called on the event loop's own thread (not the case for our services, which run in worker threads).
    asyncio.ensure_future(_publish_with_retry(layer, group, event))
    return True


async def _publish_with_retry(layer, group: str, event: dict) -> bool:
    for attempt in range(len(PUBLISH_RETRY_DELAYS) + 1):
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT):
                await layer.group_send(group, event)
            return True
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - any layer failure: retry, then give up without raising
            if attempt == len(PUBLISH_RETRY_DELAYS):
                logger.exception("chat broadcast to %s failed; sockets will catch up on the heartbeat", group)
                return False
            logger.warning("chat broadcast to %s failed; retrying on a fresh connection", group, exc_info=True)
            await _drop_idle_connections(layer)
            await asyncio.sleep(PUBLISH_RETRY_DELAYS[attempt])
    return False


async def _drop_idle_connections(layer) -> None:
    """Close the idle pooled connections of channels_redis's pub/sub layer, so the retry opens a new one.

    redis-py already discards the connection that failed; after a Redis restart the other idle ones in the pool
    are stale too. In-use connections (the subscriber's) are left alone: redis-py reconnects and resubscribes
    those itself. Other layers have no such pool and are skipped.
    """
    try:
        shards = layer._get_layer()._shards  # channels_redis.pubsub internals (4.x), hence the guard
    except AttributeError:
        return
    for shard in shards:
        redis = getattr(shard, "_redis", None)
        if redis is not None:
            try:
                await redis.connection_pool.disconnect(inuse_connections=False)
            except Exception:  # noqa: BLE001 - best effort before a retry
                logger.debug("could not reset the chat layer's idle connections", exc_info=True)


def _latest_seqs(room_ids: list[int]) -> dict[int, int]:
    from .models import Room  # fanout is imported by models' neighbours at start-up; keep the import lazy

    return dict(Room.objects.filter(pk__in=room_ids).values_list("pk", "last_seq"))


class Hub:
    """The local fan-out of one event loop: room or member group -> the consumers here that are in it."""

    def __init__(self, layer):
        self.layer = layer
        self.channel: str | None = None
        self.rooms: dict[str, set] = {}  # room groups and user_group names alike
        self.subscribed: dict[str, int] = {}  # layer group -> how many of self.rooms' keys it carries
        self.tasks: list[asyncio.Task] = []
        self.lock = asyncio.Lock()
        self.publish_lock = asyncio.Lock()

    async def join(self, group: str, consumer) -> None:
        async with self.lock:
            if self.channel is None:
                self.channel = await self.layer.new_channel("chat.hub.")
                loop = asyncio.get_running_loop()
                self.tasks = [loop.create_task(self._pump(self.channel)), loop.create_task(self._beat(self.channel))]
            members = self.rooms.setdefault(group, set())
            if not members:
                carrier = layer_group(group)
                if carrier not in self.subscribed:
                    await self.layer.group_add(carrier, self.channel)
                self.subscribed[carrier] = self.subscribed.get(carrier, 0) + 1
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
            carrier = layer_group(group)
            remaining = self.subscribed.get(carrier, 1) - 1
            if remaining:
                self.subscribed[carrier] = remaining
            else:
                self.subscribed.pop(carrier, None)
                await self.layer.group_discard(carrier, self.channel)
            if not self.rooms:
                for task in self.tasks:
                    task.cancel()
                self.tasks = []
                self.channel = None

    async def _pump(self, channel: str) -> None:
        # No timeout around receive(): cancelling it makes channels_redis unsubscribe the channel, and anything
        # published before the next receive() would be dropped. Renewal runs in _beat instead.
        while True:
            try:
                event = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # a layer hiccup must not end delivery for the whole process
                logger.exception("chat hub receive failed")
                await asyncio.sleep(0.5)
                continue
            kind = event.get("type")
            if kind == FRAME:
                await self._deliver(event.get("group"), event.get("text", ""), event)
                continue
            group = event.get("group") or ""
            consumers = tuple(self.rooms.get(group, ()))
            if group.startswith(USER_GROUP_PREFIX):
                consumers += tuple(self.rooms.get(WATCHING, ()))
            for consumer in consumers:
                try:
                    consumer.member_event(event)
                except Exception:  # noqa: BLE001 - one socket must not stop the others
                    logger.exception("chat hub could not hand %s to a socket", kind)

    async def _deliver(self, group: str | None, text: str, event: dict | None = None) -> None:
        """Hand one prepared frame to every socket here in the room. A socket whose member has blocks (rare)
        is asked for its own version of the frame (collapsed, filtered, or none); the others share the text,
        one message dict (servers only read it) and the frame's bytes (chat.wire). Each socket bounds its own
        queue (ChatConsumer.push), so one that does not read holds up neither this loop nor the other sockets."""
        message = {"type": "websocket.send", "text": text}
        framed = wire.frame_text(text)
        if event is not None and event.get("kind") in MESSAGE_CHANGES and group.startswith(ROOM_GROUP_PREFIX):
            from .selectors import forget_shared_catch_up  # selectors import the models; keep it lazy

            forget_shared_catch_up(int(group[len(ROOM_GROUP_PREFIX) :]), event.get("seq"))
        for consumer in tuple(self.rooms.get(group, ())):
            try:
                blocks = getattr(consumer, "blocks", None)
                if event is not None and blocks is not None and blocks.hidden:
                    own = consumer.frame_text_for(event, text)
                    if own is None:
                        continue
                    if own is not text:
                        consumer.push({"type": "websocket.send", "text": own})
                        continue
                consumer.push(message, framed)
            except Exception:  # one broken socket must not stop the others
                logger.debug("chat hub could not write to a socket", exc_info=True)

    async def _beat(self, channel: str) -> None:
        """Every few seconds, tell each socket here its room's latest seq (a page that missed a broadcast then
        catches up); now and then renew the hub's group memberships, so that a quiet room's do not lapse."""
        beat_at = renewed_at = time.monotonic()
        while True:
            await asyncio.sleep(min(heartbeat_seconds(), GROUP_RENEW_SECONDS))
            now = time.monotonic()
            if now - beat_at >= heartbeat_seconds():
                beat_at = now
                await self._heartbeat()
            if now - renewed_at >= GROUP_RENEW_SECONDS:
                renewed_at = now
                for group in tuple(self.subscribed):
                    try:
                        await self.layer.group_add(group, channel)
                    except Exception:  # noqa: BLE001 - retried at the next renewal
                        logger.warning("chat hub could not renew %s", group, exc_info=True)

    async def _heartbeat(self) -> None:
        room_ids = [int(g[len(ROOM_GROUP_PREFIX) :]) for g in self.rooms if g.startswith(ROOM_GROUP_PREFIX)]
        try:
            latest = await database_sync_to_async(_latest_seqs)(room_ids)
        except Exception:  # noqa: BLE001 - the database may be away for a moment; the next beat tries again
            logger.warning("chat heartbeat could not read the rooms' latest seq", exc_info=True)
            return
        for room_id, seq in latest.items():
            await self._deliver(room_group(room_id), encode({"type": "heartbeat", "seq": seq}))


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
