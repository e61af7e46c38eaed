"""Django's Redis cache with one redis-py client per connection pool, instead of a new one for every call.

Django's RedisCacheClient builds a `redis.Redis` for each cache call (`get_client`), and building one copies a few
dozen response callbacks into a case-insensitive dict: a chat connect makes about ten cache calls (socket slot
and its lock, presence, rate limits), and in a profile of 1,000 members reconnecting at once on Redis the
building was a tenth of the server's CPU. redis-py's clients are meant to be shared between threads (the pool
hands each command a connection), so one per pool does the same work.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _SharedClients(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_shared_clients", {})
        client = clients.get(pool)
        if client is None:
            client = clients.setdefault(pool, self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClients
