"""A chat socket opens only from an allowed origin: scheme, host and port all match (issue 7, Origin check)."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from community.asgi import application
from community.origins import allowed_origins, origin_allowed

from .conftest import cookie_for

pytestmark = pytest.mark.django_db(transaction=True)


async def _handshake(room, member, *origins: bytes) -> bool:
    cookie = await database_sync_to_async(cookie_for)(member)
    headers = [(b"origin", origin) for origin in origins] + [(b"cookie", cookie)]
    communicator = WebsocketCommunicator(application, f"/ws/chat/{room.slug}/", headers=headers)
    connected, _ = await communicator.connect()
    await communicator.disconnect()
    return connected


@pytest.mark.parametrize(
    "origin",
    [
        b"https://testserver",  # another scheme
        b"http://testserver:8080",  # another port
        b"https://evil.example",  # another host
        b"http://testserver.evil.example",
        b"http://evil.example/http://testserver",
        b"null",  # sandboxed frames and file: pages
        b"http://user@testserver",
        b"http://testserver:notaport",
        b"http://127.0.0.2:8000",
    ],
)
async def test_a_socket_from_another_origin_is_refused_at_the_handshake(room, member, origin):
    assert not await _handshake(room, member, origin)


async def test_a_socket_without_an_origin_or_with_two_is_refused(room, member):
    assert not await _handshake(room, member)
    assert not await _handshake(room, member, b"http://testserver", b"https://evil.example")


@pytest.mark.parametrize("origin", [b"http://testserver", b"http://TestServer:80", b"http://127.0.0.1:54321"])
async def test_the_sites_own_origins_are_accepted(room, member, origin):
    assert await _handshake(room, member, origin)


def test_production_allows_the_https_origins_of_its_hosts_only(settings):
    # Production sets no CHAT_ALLOWED_ORIGINS: the CSRF trusted origins (https://<each allowed host>) are used.
    settings.CHAT_ALLOWED_ORIGINS = None
    settings.CSRF_TRUSTED_ORIGINS = ["https://a.example", "https://b.example"]
    allowed = allowed_origins()
    assert origin_allowed("https://a.example", allowed)
    assert origin_allowed("https://b.example:443", allowed)
    assert not origin_allowed("http://a.example", allowed)
    assert not origin_allowed("https://a.example:8443", allowed)
    assert not origin_allowed("https://c.example", allowed)
    assert not origin_allowed("https://sub.a.example", allowed)
    assert not origin_allowed("http://127.0.0.1:8000", allowed)


def test_an_explicit_setting_wins_and_any_port_is_only_where_it_says_so(settings):
    settings.CHAT_ALLOWED_ORIGINS = ["https://chat.example", "http://localhost:*"]
    allowed = allowed_origins()
    assert origin_allowed("https://chat.example", allowed)
    assert origin_allowed("http://localhost:5173", allowed)
    assert not origin_allowed("https://localhost:5173", allowed)
    assert not origin_allowed("https://chat.example:444", allowed)
