"""With DATABASE_URL and REDIS_URL set, the site really runs on PostgreSQL and Redis.

REQUIRE_SERVICES=1 (CI's second run) turns a skip into a failure, so a misconfigured run cannot pass quietly.
"""

import os

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from tests.conftest import REQUIRE_SERVICES

pytestmark = pytest.mark.services


def _need(var: str) -> None:
    if not os.environ.get(var):
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {var} is not set")
        pytest.skip(f"{var} not set: scale-out services not configured")


def test_database_is_postgresql(db):
    _need("DATABASE_URL")
    assert connection.vendor == "postgresql"


def test_cache_and_rate_limits_are_shared_between_processes():
    _need("REDIS_URL")
    assert isinstance(caches["default"], RedisCache)
    # A second, independent client (as another server process would have) sees the same counters.
    other = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", "")})
    caches["default"].set("scale-out-probe", 41)
    other.incr("scale-out-probe")
    assert caches["default"].get("scale-out-probe") == 42


def test_channel_layer_is_redis():
    _need("REDIS_URL")
    assert "channels_redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"]


def test_the_cache_shares_one_redis_client_between_calls_and_threads():
    """community.cache: building a redis-py client per cache call was a tenth of a chat reconnect's CPU."""
    _need("REDIS_URL")
    from concurrent.futures import ThreadPoolExecutor

    cache = caches["default"]
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client
    with ThreadPoolExecutor(4) as pool:
        # Each thread counts through the one client; every increment lands.
        cache.set("shared-client-probe", 0)
        list(pool.map(lambda _: cache.incr("shared-client-probe"), range(40)))
    assert cache.get("shared-client-probe") == 40


def test_many_sockets_and_requests_at_once_share_a_few_redis_connections(settings):
    """Django keeps a cache object per asyncio task: with Django's own Redis cache each chat socket and each ASGI
    request opened a connection of its own (community.cache), and a few thousand members would have used up
    Redis's connections for everyone."""
    _need("REDIS_URL")
    import asyncio
    import uuid

    import redis
    from asgiref.sync import sync_to_async

    name = f"test-cache-{uuid.uuid4().hex[:10]}"
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "KEY_PREFIX": name,
            "OPTIONS": {**settings.CACHES["default"].get("OPTIONS", {}), "client_name": name},
        }
    }

    def connections() -> int:
        client = redis.Redis.from_url(settings.REDIS_URL)
        try:
            return sum(1 for c in client.client_list() if c.get("name") == name)
        finally:
            client.close()

    async def main() -> int:
        release = asyncio.Event()

        async def socket(n: int):  # each in a task of its own, as each socket and request is
            await sync_to_async(caches["default"].set)(f"socket-{n}", n, 30)
            await release.wait()
            return await sync_to_async(caches["default"].get)(f"socket-{n}")

        tasks = [asyncio.create_task(socket(n)) for n in range(30)]
        while not all(caches["default"].get(f"socket-{n}") == n for n in range(30)):
            await asyncio.sleep(0.01)
        opened = await asyncio.to_thread(connections)
        release.set()
        assert await asyncio.gather(*tasks) == list(range(30))
        return opened

    assert asyncio.run(main()) <= 2
