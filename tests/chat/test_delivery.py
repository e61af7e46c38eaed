"""Nothing lost, nothing doubled (issue 8): idempotent sends, broadcasts that fail, heartbeats, and deployments
that share one Redis server. The fault test with two real processes is test_delivery_faults.py."""

import asyncio
import json
import os
import subprocess
import sys
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import IntegrityError, transaction

from chat import fanout, services
from chat.models import Message, Room
from tests.conftest import REQUIRE_SERVICES
from tests.servers import ROOT, kill_redis_connections

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("REDIS_URL", "")


async def _stored(**filters) -> list[Message]:
    return await database_sync_to_async(lambda: list(Message.objects.filter(**filters).order_by("seq")))()


async def _last_seq(room) -> int:
    return await database_sync_to_async(lambda: Room.objects.get(pk=room.pk).last_seq)()


# --- one message per client_id ----------------------------------------------------------------------------


async def test_a_resend_with_the_same_client_id_is_answered_with_the_stored_message(connect, room, member, member2):
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    await sam.send({"type": "send", "body": "Day 12 and feeling steady", "client_id": "resend-1"})
    first = await sam.receive_type("message")
    assert (await jordan.receive_type("message"))["id"] == first["id"]

    # The page saw no answer (say the socket dropped) and sends it again: the same message comes back.
    await sam.send({"type": "send", "body": "Day 12 and feeling steady", "client_id": "resend-1"})
    again = await sam.receive_type("message")
    assert {k: again[k] for k in ("id", "seq", "client_id", "html")} == {
        k: first[k] for k in ("id", "seq", "client_id", "html")
    }
    assert await jordan.nothing()  # nothing new is broadcast
    assert [m.client_id for m in await _stored(room=room)] == ["resend-1"]
    assert await _last_seq(room) == 1


async def test_a_resend_after_reconnecting_stores_once(connect, room, member, member2):
    sam = await connect(member, room.slug)
    await sam.send({"type": "send", "body": "Are you all there?", "client_id": "after-drop"})
    await sam.close()  # gone before reading the answer
    sam = await connect(member, room.slug)
    await sam.send({"type": "send", "body": "Are you all there?", "client_id": "after-drop"})
    ack = await sam.receive_type("message")
    assert ack["client_id"] == "after-drop" and ack["seq"] == 1
    assert len(await _stored(room=room)) == 1


async def test_the_same_client_id_from_two_members_or_rooms_is_two_messages(connect, room, member, member2):
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    await sam.send({"type": "send", "body": "from Sam", "client_id": "1"})
    await sam.receive_type("message")
    await jordan.receive_type("message")
    await jordan.send({"type": "send", "body": "from Jordan", "client_id": "1"})
    assert (await jordan.receive_type("message"))["seq"] == 2
    assert len(await _stored(room=room)) == 2


def test_two_sends_at_once_with_one_client_id_store_one_message(room, member):
    first = services.post_message(room=room, author=member, body="only once", client_id="race")
    # No lookup before storing (chat.services.post_message): the second send reaches the insert as if the first
    # had committed a moment before, from another socket or process, and the unique constraint stops it.
    again = services.post_message(room=room, author=member, body="only once", client_id="race")
    assert again.repeat and again.message.pk == first.message.pk
    assert Message.objects.filter(room=room).count() == 1
    room.refresh_from_db()
    assert room.last_seq == 1  # the losing insert gave its seq back


def test_the_database_refuses_a_second_row_for_one_client_id_but_not_for_none(room, member):
    services.post_message(room=room, author=member, body="no id", client_id="")
    services.post_message(room=room, author=member, body="no id again", client_id="")
    stored = services.post_message(room=room, author=member, body="with id", client_id="k").message
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(room=room, seq=99, author=member, body="copy", html="copy", client_id="k")
    assert Message.objects.filter(room=room).count() == 3
    assert stored.client_id == "k"


async def test_a_refused_send_names_its_client_id_and_stores_nothing(connect, room, member):
    sam = await connect(member, room.slug)
    await sam.send({"type": "send", "body": "x" * 4001, "client_id": "too-long-1"})
    error = await sam.receive_type("error")
    assert error["code"] == "too_long" and error["client_id"] == "too-long-1"
    await database_sync_to_async(services.mute_member)(room=room, member=member, actor=member, minutes=5, reason="r")
    await sam.send({"type": "send", "body": "while muted", "client_id": "muted-1"})
    error = await sam.receive_type("error")
    assert error["code"] == "muted" and error["client_id"] == "muted-1"
    assert await _stored(room=room) == []


# --- broadcasts that fail ---------------------------------------------------------------------------------


async def test_a_failed_broadcast_keeps_the_senders_socket_and_reaches_the_others_by_heartbeat(
    connect, room, member, member2, monkeypatch, settings
):
    settings.CHAT_HEARTBEAT_SECONDS = 0.3
    monkeypatch.setattr(fanout, "PUBLISH_RETRY_DELAYS", (0, 0), raising=False)
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    attempts = []

    async def redis_is_away(group, event):
        attempts.append(group)
        raise ConnectionError("Connection closed by server.")

    monkeypatch.setattr(get_channel_layer(), "group_send", redis_is_away)
    await sam.send({"type": "send", "body": "Stored, but Redis is away", "client_id": "lost-1"})
    ack = await sam.receive_type("message")  # told directly: stored
    assert ack["client_id"] == "lost-1" and ack["seq"] == 1
    assert len(attempts) == 3  # tried, and tried again twice

    # Jordan missed the broadcast; the heartbeat shows the new seq and catch_up brings the message.
    # (A beat sent just before the message was stored still says 0; the next one says 1.)
    for _ in range(5):
        heartbeat = await jordan.receive_type("heartbeat", timeout=3)
        if heartbeat["seq"] == 1:
            break
    assert heartbeat["seq"] == 1
    await jordan.send({"type": "catch_up", "after_seq": 0})
    assert (await jordan.receive_type("message"))["client_id"] == "lost-1"

    # The sender's socket is still open and works.
    await sam.send({"type": "catch_up", "after_seq": 1})
    while (frame := await sam.receive())["type"] == "heartbeat":
        pass
    assert frame == {"type": "caught_up", "seq": 1, "more": False}


async def test_a_broadcast_that_fails_once_is_retried_and_reaches_everyone_once(
    connect, room, member, member2, monkeypatch
):
    monkeypatch.setattr(fanout, "PUBLISH_RETRY_DELAYS", (0, 0), raising=False)
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    layer = get_channel_layer()
    real_send = layer.group_send
    failures = [ConnectionError("stale pooled connection")]

    async def flaky(group, event):
        if failures:
            raise failures.pop()
        await real_send(group, event)

    monkeypatch.setattr(layer, "group_send", flaky)
    await sam.send({"type": "send", "body": "after the reset", "client_id": "retry-1"})
    assert (await jordan.receive_type("message"))["client_id"] == "retry-1"
    assert (await sam.receive_type("message"))["client_id"] == "retry-1"
    assert await sam.nothing() and await jordan.nothing()  # once each: no direct reply on top of the broadcast


async def test_the_heartbeat_carries_each_rooms_latest_seq(connect, room, member, member2, settings):
    settings.CHAT_HEARTBEAT_SECONDS = 0.2
    sam = await connect(member, room.slug)
    await database_sync_to_async(Room.objects.filter(pk=room.pk).update)(last_seq=7)
    assert (await sam.receive_type("heartbeat", timeout=3))["seq"] == 7


# --- real Redis -------------------------------------------------------------------------------------------


@pytest.fixture
def redis_layer(settings):
    """The Redis pub/sub layer with this test's own prefix and connection name (so resets stay scoped)."""
    if not REDIS_URL:
        if REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but REDIS_URL is not set")
        pytest.skip("needs Redis (REDIS_URL)")
    name = f"test-delivery-{uuid.uuid4().hex[:10]}"
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "client_name": name}], "prefix": f"{name}.asgi"},
        }
    }
    return name


async def _wait_for_subscriber(name: str) -> None:
    import redis.asyncio as redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        for _ in range(100):
            clients = await client.client_list()
            if any(c["name"] == name and int(c["sub"]) > 0 for c in clients):
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the hub never subscribed again")
    finally:
        await client.aclose()


@pytest.mark.services
async def test_a_message_sent_right_after_a_redis_reset_reaches_everyone(redis_layer, connect, room, member, member2):
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    await sam.send({"type": "send", "body": "before", "client_id": "b"})
    await jordan.receive_type("message")
    await sam.receive_type("message")

    # Every command connection is reset: the next publish meets a stale pooled connection.
    assert await asyncio.to_thread(kill_redis_connections, redis_layer, kind="normal") >= 1
    await sam.send({"type": "send", "body": "right after the reset", "client_id": "a"})
    assert (await jordan.receive_type("message", timeout=5))["client_id"] == "a"
    assert (await sam.receive_type("message", timeout=5))["client_id"] == "a"


@pytest.mark.services
async def test_the_hub_subscribes_again_after_its_redis_connection_is_reset(
    redis_layer, connect, room, member, member2
):
    sam = await connect(member, room.slug)
    jordan = await connect(member2, room.slug)
    assert await asyncio.to_thread(kill_redis_connections, redis_layer, kind="pubsub") == 1
    await _wait_for_subscriber(redis_layer)
    # Live frames again, not only catch-up: the hub's receive loop survived and its groups were re-subscribed.
    for n in range(3):
        await sam.send({"type": "send", "body": f"after {n}", "client_id": f"after-{n}"})
        assert (await jordan.receive_type("message", timeout=5))["client_id"] == f"after-{n}"
        assert (await sam.receive_type("message", timeout=5))["client_id"] == f"after-{n}"


def _deployment_settings(database_url: str) -> dict:
    """The channel layer and cache settings a server configured with `database_url` would use."""
    env = {k: v for k, v in os.environ.items() if k not in ("COMMUNITY_DEPLOYMENT_PREFIX", "TEST_CACHE_PREFIX")}
    env.update(DATABASE_URL=database_url, REDIS_URL=REDIS_URL, DJANGO_SETTINGS_MODULE="community.settings.test")
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'layer': settings.CHANNEL_LAYERS['default']['CONFIG'], "
        "'cache_prefix': settings.CACHES['default'].get('KEY_PREFIX', '')}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.services
def test_two_deployments_on_one_redis_server_do_not_hear_each_other(redis_layer):
    from channels_redis.pubsub import RedisPubSubChannelLayer
    from django.core.cache.backends.redis import RedisCache

    clinic_a = _deployment_settings("postgres://postgres@127.0.0.1:5432/clinic_a")
    clinic_b = _deployment_settings("postgres://postgres@127.0.0.1:5432/clinic_b")
    assert clinic_a["layer"]["prefix"] != clinic_b["layer"]["prefix"]
    assert clinic_a["cache_prefix"] != clinic_b["cache_prefix"]

    async def scenario():
        a_server, a_other_process = (
            RedisPubSubChannelLayer(**clinic_a["layer"]),
            RedisPubSubChannelLayer(**clinic_a["layer"]),
        )
        b_server = RedisPubSubChannelLayer(**clinic_b["layer"])
        listener = await a_other_process.new_channel("chat.hub.")
        await a_other_process.group_add(fanout.room_group(1), listener)
        try:
            # Both deployments have a room 1. B's message must not reach A; A's own does (the control).
            await b_server.group_send(fanout.room_group(1), {"type": fanout.FRAME, "text": "from clinic B"})
            await a_server.group_send(fanout.room_group(1), {"type": fanout.FRAME, "text": "from clinic A"})
            received = await asyncio.wait_for(a_other_process.receive(listener), 5)
            assert received["text"] == "from clinic A"
        finally:
            for layer in (a_server, a_other_process, b_server):
                await layer.flush()

    asyncio.run(scenario())

    cache_a = RedisCache(REDIS_URL, {"KEY_PREFIX": clinic_a["cache_prefix"]})
    cache_b = RedisCache(REDIS_URL, {"KEY_PREFIX": clinic_b["cache_prefix"]})
    key = f"chat:sockets:{uuid.uuid4().hex}"
    cache_a.set(key, "clinic A", 30)
    assert cache_b.get(key) is None
    assert cache_a.get(key) == "clinic A"
    cache_a.delete(key)


def test_the_migration_keeps_repeated_sends_stored_before_it_and_their_first_client_id(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.factories import UserFactory

    executor = MigrationExecutor(connection)
    executor.migrate([("chat", "0001_initial")])
    try:
        old_apps = executor.loader.project_state([("chat", "0001_initial")]).apps
        OldRoom, OldMessage = old_apps.get_model("chat", "Room"), old_apps.get_model("chat", "Message")
        room = OldRoom.objects.create(name="Before", slug="before-the-constraint")
        author = UserFactory(display_name="Sam")
        for seq in (1, 2, 3):  # a resend stored twice before this fix, and one other message
            OldMessage.objects.create(
                room=room, seq=seq, author_id=author.pk, body="hi", html="hi", client_id="x" if seq < 3 else "y"
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(Message.objects.filter(room_id=room.pk).order_by("seq").values_list("seq", "client_id")) == [
        (1, "x"),
        (2, ""),
        (3, "y"),
    ]
