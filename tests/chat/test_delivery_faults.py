"""Issue 8's fault test: two Daphne processes on PostgreSQL and Redis, members chatting while Redis connections
are reset under them (subscribers, command connections, both).

Each member behaves as the page does (static/js/chat.js): a message stays "not sent yet" until a `message`
frame with its client_id comes back; after a reconnect it is sent again under the same client_id; a heartbeat
or message that shows a seq beyond what the member has seen starts a catch_up. The test then proves that every
message sent was either acknowledged, stored once and seen by every member (live or by catch_up), or clearly
refused (an error frame naming it) and not stored.

Resets are scoped to this test's servers: their Redis connections are named after a deployment prefix of their
own (settings: COMMUNITY_DEPLOYMENT_PREFIX), and only connections with that name are killed.
"""

import asyncio
import json
import random
import time
import uuid

import pytest
from channels.db import database_sync_to_async

from chat.models import Message, Room
from tests.factories import UserFactory
from tests.servers import DaphneServer, kill_redis_connections

from .factories import RoomFactory
from .test_two_processes import _cookie, services_available  # noqa: F401 - a fixture

MESSAGES_EACH = 10
SETTLE_SECONDS = 45


@pytest.fixture
def deployment(services_available, transactional_db, tmp_path):  # noqa: F811
    """Start servers of one deployment of their own (its prefix names their Redis connections)."""
    prefix = f"tfault{uuid.uuid4().hex[:10]}"
    env = {
        "COMMUNITY_DEPLOYMENT_PREFIX": prefix,
        "TEST_CACHE_PREFIX": prefix,
        "CHAT_HEARTBEAT_SECONDS": "1",
    }
    started = []

    def start(name):
        server = DaphneServer(log=tmp_path / f"daphne-{name}.log", env=env)
        started.append(server)
        server.start()
        return server

    start.prefix = prefix
    start.logs = lambda: "\n".join(s.log.read_text()[-2000:] for s in started)
    yield start
    for server in started:
        server.kill()


class PageMember:
    """A member as the chat page behaves, over a reconnecting websocket."""

    def __init__(self, name: str, cookie: str, server: DaphneServer, slug: str):
        self.name, self.cookie, self.server, self.slug = name, cookie, server, slug
        self.seen: dict[int, dict] = {}  # seq -> message frame (live or from catch_up)
        self.contiguous = 0  # every seq up to here is accounted for
        self.highest = 0  # the highest seq this member has heard of (messages, heartbeats)
        self.unsent: dict[str, str] = {}  # client_id -> body: sent, no answer yet
        self.acked: dict[str, dict] = {}
        self.refused: dict[str, dict] = {}
        self.reconnects = 0
        self.ws = None
        self.catching_up = False
        self.stopped = False

    async def run(self):
        from websockets.asyncio.client import connect

        while not self.stopped:
            try:
                async with connect(
                    self.server.ws_url(self.slug),
                    additional_headers={"Cookie": self.cookie},
                    origin=f"http://127.0.0.1:{self.server.port}",
                    open_timeout=10,
                ) as ws:
                    self.ws = ws
                    async for text in ws:
                        await self._on_frame(json.loads(text))
            except Exception:  # noqa: BLE001 - a dropped socket: reconnect, as the page does
                pass
            self.ws = None
            self.catching_up = False
            if not self.stopped:
                self.reconnects += 1
                await asyncio.sleep(0.3)

    async def _send(self, frame: dict) -> bool:
        try:
            await self.ws.send(json.dumps(frame))
            return True
        except Exception:  # noqa: BLE001 - closed meanwhile; the reconnect resends
            return False

    async def _catch_up(self):
        if not self.catching_up:
            self.catching_up = await self._send({"type": "catch_up", "after_seq": self.contiguous})

    def _account(self, seq: int):
        while self.contiguous + 1 in self.seen:
            self.contiguous += 1
        self.highest = max(self.highest, seq)

    async def _on_frame(self, frame: dict):
        kind = frame["type"]
        if kind == "hello":
            self.highest = max(self.highest, frame["seq"])
            await self._catch_up()
            for client_id, body in list(self.unsent.items()):  # resend under the same client_id
                await self._send({"type": "send", "body": body, "client_id": client_id})
        elif kind == "message":
            self.seen[frame["seq"]] = frame
            if frame.get("client_id") in self.unsent and frame["author"]["name"] == self.name:
                del self.unsent[frame["client_id"]]
                self.acked[frame["client_id"]] = frame
            self._account(frame["seq"])
            if self.contiguous < self.highest:
                await self._catch_up()
        elif kind == "caught_up":
            self.catching_up = False
            self.contiguous = max(self.contiguous, frame["seq"])
            self._account(frame["seq"])
            if frame.get("more") or self.contiguous < self.highest:
                await self._catch_up()
        elif kind == "heartbeat":
            self.highest = max(self.highest, frame["seq"])
            if self.contiguous < self.highest:
                await self._catch_up()
        elif kind == "error":
            client_id = frame.get("client_id")
            if client_id in self.unsent:
                del self.unsent[client_id]
                self.refused[client_id] = frame
            elif frame.get("request") == "catch_up":
                self.catching_up = False
                await asyncio.sleep(frame.get("retry_after") or 1)
                await self._catch_up()

    async def say(self, client_id: str, body: str):
        self.unsent[client_id] = body
        if self.ws is not None:
            await self._send({"type": "send", "body": body, "client_id": client_id})


async def _wait(predicate, timeout: float, what: str, detail=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}\n{detail()}")


@pytest.mark.services
def test_every_message_is_delivered_once_or_clearly_refused_while_redis_connections_reset(deployment):
    room = RoomFactory(slug="faulty-evening")
    users = [UserFactory(display_name=name) for name in ("Sam", "Jordan", "Riley", "Alex")]
    cookies = [_cookie(user) for user in users]
    first, second = deployment("a"), deployment("b")
    rng = random.Random(8)

    async def scenario():
        members = [
            PageMember(user.display_name, cookie, server, room.slug)
            for user, cookie, server in zip(users, cookies, (first, second, first, second), strict=True)
        ]
        runners = [asyncio.create_task(m.run()) for m in members]
        await _wait(lambda: all(m.ws is not None for m in members), 15, "every member to connect")
        kills = []

        async def reset_redis():
            # Subscribers, command connections (publishing, the cache), then everything at once; twice over.
            for kind in ("pubsub", "normal", "all", "pubsub", "normal", "all"):
                await asyncio.sleep(rng.uniform(0.3, 0.8))
                kills.append((kind, await asyncio.to_thread(kill_redis_connections, deployment.prefix, kind=kind)))

        async def chat(member):
            for n in range(MESSAGES_EACH):
                await member.say(f"{member.name}-{n}", f"{member.name} says {n}")
                await asyncio.sleep(rng.uniform(0.1, 0.4))

        await asyncio.gather(reset_redis(), *(chat(m) for m in members))
        assert sum(count for _, count in kills) >= 6, kills  # the resets did hit this deployment's connections

        def status():
            return "\n".join(
                f"{m.name}: unsent={list(m.unsent)} contiguous={m.contiguous} highest={m.highest} "
                f"reconnects={m.reconnects} refused={m.refused}"
                for m in members
            )

        # Every send is answered: acknowledged, or refused with an error naming it.
        await _wait(lambda: not any(m.unsent for m in members), SETTLE_SECONDS, "every send to be answered", status)
        last_seq = await database_sync_to_async(lambda: Room.objects.get(pk=room.pk).last_seq)()
        # Every member sees every stored message, live or by catch_up after a heartbeat.
        await _wait(
            lambda: all(m.contiguous >= last_seq for m in members), SETTLE_SECONDS, "every member to see all", status
        )
        for m in members:
            m.stopped = True
            if m.ws is not None:
                await m.ws.close()
        await asyncio.gather(*runners, return_exceptions=True)
        return members, last_seq

    members, last_seq = asyncio.run(scenario())
    print(deployment.logs())  # shown when the test fails
    print({m.name: (len(m.acked), len(m.refused), m.reconnects) for m in members})

    stored = list(Message.objects.filter(room=room).select_related("author").order_by("seq"))
    assert [m.seq for m in stored] == list(range(1, last_seq + 1))  # no gap, no duplicate seq
    stored_ids = [m.client_id for m in stored]
    assert len(stored_ids) == len(set(stored_ids))  # nothing doubled, however often it was resent
    acked = {cid: frame for m in members for cid, frame in m.acked.items()}
    refused = {cid: frame for m in members for cid, frame in m.refused.items()}
    assert set(acked) | set(refused) == {f"{u.display_name}-{n}" for u in users for n in range(MESSAGES_EACH)}
    assert not set(acked) & set(refused)
    # Acknowledged means stored (once, under the seq the sender was told); refused means not stored.
    by_client_id = {m.client_id: m for m in stored}
    assert set(by_client_id) == set(acked)
    for client_id, frame in acked.items():
        assert by_client_id[client_id].seq == frame["seq"]
    for frame in refused.values():
        assert frame["code"] and frame["detail"], frame  # a clear refusal the page can show
    # Every member saw every stored message with its text.
    for member in members:
        assert sorted(member.seen) == list(range(1, last_seq + 1)), member.name
        for message in stored:
            assert member.seen[message.seq]["client_id"] == message.client_id
    # Most got through: refusals are the exception during a reset, not the rule.
    assert len(acked) >= len(users) * MESSAGES_EACH // 2, refused
