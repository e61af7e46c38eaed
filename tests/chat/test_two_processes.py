"""Two real Daphne processes on PostgreSQL and the Redis channel layer: one room across both.

A message sent through one process reaches a member connected to the other; both write at once without gaps in
seq; and after one process is killed, catch_up from the survivor returns every message.
"""

import asyncio
import json
import os
import time
import uuid

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import REQUIRE_SERVICES
from tests.factories import UserFactory
from tests.servers import DaphneServer

from .factories import RoomFactory


def _missing_services() -> str | None:
    if not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set"
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "DATABASE_URL is not a PostgreSQL database"
    return None


@pytest.fixture
def services_available():
    reason = _missing_services()
    if reason:
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}: the two-process chat test needs PostgreSQL and Redis")
        pytest.skip(f"needs PostgreSQL and Redis ({reason})")


@pytest.fixture
def servers(services_available, transactional_db, tmp_path):
    started = []
    shared_cache = {"TEST_CACHE_PREFIX": f"test-two-{uuid.uuid4().hex[:12]}"}

    def start(name):
        server = DaphneServer(log=tmp_path / f"daphne-{name}.log", env=shared_cache)
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        server.kill()


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


class Member:
    """A websockets client that keeps every frame it receives."""

    def __init__(self, cookie: str):
        self.cookie = cookie
        self.frames: list[dict] = []

    async def open(self, server: DaphneServer, slug: str):
        from websockets.asyncio.client import connect

        self.ws = await connect(
            server.ws_url(slug),
            additional_headers={"Cookie": self.cookie},
            origin=f"http://127.0.0.1:{server.port}",
            open_timeout=10,
        )
        self.frames = []
        self.reader = asyncio.create_task(self._read())
        await self.wait_for(lambda f: f["type"] == "hello")
        return self

    async def _read(self):
        try:
            async for text in self.ws:
                self.frames.append(json.loads(text))
        except Exception:  # noqa: BLE001 - a killed server ends the stream
            pass

    async def send(self, frame: dict):
        await self.ws.send(json.dumps(frame))

    def messages(self) -> list[dict]:
        return [f for f in self.frames if f["type"] == "message"]

    async def wait_for(self, predicate, timeout: float = 10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(predicate(f) for f in self.frames):
                return next(f for f in self.frames if predicate(f))
            await asyncio.sleep(0.02)
        raise AssertionError(f"timed out; frames so far: {self.frames}")

    async def wait_for_messages(self, count: int, timeout: float = 10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.messages()) < count:
            await asyncio.sleep(0.02)
        return self.messages()

    async def close(self):
        await self.ws.close()
        self.reader.cancel()


@pytest.mark.services
def test_a_room_spans_two_processes_and_survives_one_dying(servers):
    room = RoomFactory(slug="two-process-room")
    sam_user, jordan_user = UserFactory(display_name="Sam"), UserFactory(display_name="Jordan")
    sam_cookie, jordan_cookie = _cookie(sam_user), _cookie(jordan_user)
    first, second = servers("a"), servers("b")

    async def scenario():
        sam = await Member(sam_cookie).open(first, room.slug)
        jordan = await Member(jordan_cookie).open(second, room.slug)

        # Sent through process A, received by a member connected to process B (and the other way round).
        await sam.send({"type": "send", "body": "hello from A", "client_id": "a-1"})
        got = await jordan.wait_for(lambda f: f.get("client_id") == "a-1")
        assert got["author"]["name"] == "Sam" and got["seq"] == 1
        await jordan.send({"type": "send", "body": "hello from B", "client_id": "b-1"})
        assert (await sam.wait_for(lambda f: f.get("client_id") == "b-1"))["seq"] == 2

        # Both processes write at once: every seq once, no gaps.
        for n in range(10):
            await sam.send({"type": "send", "body": f"A{n}", "client_id": f"a-{n + 2}"})
            await jordan.send({"type": "send", "body": f"B{n}", "client_id": f"b-{n + 2}"})
        seen_by_sam = await sam.wait_for_messages(22)
        seen_by_jordan = await jordan.wait_for_messages(22)
        for seen in (seen_by_sam, seen_by_jordan):
            assert sorted(m["seq"] for m in seen) == list(range(1, 23))
        last_seen_by_sam = max(m["seq"] for m in seen_by_sam)

        # Process A dies (no goodbye); Jordan keeps writing through B meanwhile.
        first.kill()
        await asyncio.wait_for(sam.reader, 10)
        for n in range(5):
            await jordan.send({"type": "send", "body": f"while A was down {n}", "client_id": f"down-{n}"})
        await jordan.wait_for_messages(27)

        # Sam's page reconnects to the surviving process and catches up from its last seq.
        sam = await Member(sam_cookie).open(second, room.slug)
        await sam.send({"type": "catch_up", "after_seq": last_seen_by_sam})
        caught_up = await sam.wait_for(lambda f: f["type"] == "caught_up")
        recovered = [f for f in sam.frames if f["type"] == "message" and f["seq"] <= caught_up["seq"]]
        assert [m["seq"] for m in recovered] == list(range(23, 28))
        assert [m["client_id"] for m in recovered] == [f"down-{n}" for n in range(5)]
        assert caught_up["seq"] == 27
        await sam.close()
        await jordan.close()

    asyncio.run(scenario())
