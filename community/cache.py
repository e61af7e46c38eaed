"""Django's Redis cache, with one client and one set of connection pools per process.

Django keeps a cache object per asyncio task (`caches` is an asgiref Local), and its RedisCache builds its
connection pool with the object: under an ASGI server every chat socket and every HTTP request got a pool of its
own and held its own connection to Redis (200 chat sockets: 201 connections), left to the garbage collector to
close; a few thousand members would have used up Redis's connections, and the pools were half of a socket's
traced memory on the Redis layer. Here every RedisCache with the same servers and options uses one client,
created once per process; redis-py's pools hand each command a connection and are safe to share between threads.

Django's client also builds a `redis.Redis` for each cache call (`get_client`), copying a few dozen response
callbacks into a new dict each time: a tenth of the server's CPU while 1,000 members reconnected at once on Redis.
One per pool does the same work.
"""

import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.functional import cached_property

_clients: dict[str, RedisCacheClient] = {}
_clients_lock = threading.Lock()


class _SharedClients(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_shared_clients", {})
        client = clients.get(pool)
        if client is None:
            client = clients.setdefault(pool, self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    @cached_property
    def _cache(self):
        key = repr((self._servers, sorted(self._options.items())))
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = _SharedClients(self._servers, **self._options)
        return client
