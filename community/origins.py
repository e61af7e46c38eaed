"""Which web pages may open a WebSocket to this site: the Origin header's scheme, host and port together.

Channels' AllowedHostsOriginValidator compares the host only, so a page served from another port or over plain
HTTP on the same host was let in (issue 7). Here an origin must match an entry of CHAT_ALLOWED_ORIGINS exactly
(default ports filled in); an entry's port may be `*` (any port), meant for the loopback addresses in dev and
tests, whose servers run on ports chosen at random. Without the setting, CSRF_TRUSTED_ORIGINS is used
(production lists the https origin of every allowed host there).
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings

DEFAULT_PORTS = {"http": 80, "https": 443}


def _split(origin: str) -> tuple[str, str, str] | None:
    """(scheme, host, port) with the default port filled in, `*` kept as is; None when not an origin."""
    origin = origin.strip().lower()
    any_port = origin.endswith(":*")
    try:
        parts = urlsplit(origin[:-2] if any_port else origin)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path or parts.query or parts.username:
        return None
    if any_port:
        return parts.scheme, parts.hostname, "*"
    return parts.scheme, parts.hostname, str(port or DEFAULT_PORTS[parts.scheme])


def allowed_origins() -> list[tuple[str, str, str]]:
    configured = getattr(settings, "CHAT_ALLOWED_ORIGINS", None)
    if configured is None:
        configured = getattr(settings, "CSRF_TRUSTED_ORIGINS", [])
    return [split for split in map(_split, configured) if split is not None]


def origin_allowed(origin: str | None, allowed: list[tuple[str, str, str]]) -> bool:
    if not origin:
        return False  # browsers always send Origin; a tool must say which page it speaks for
    split = _split(origin)
    if split is None:
        return False
    scheme, host, port = split
    return any(scheme == a_scheme and host == a_host and a_port in (port, "*") for a_scheme, a_host, a_port in allowed)


class OriginValidator:
    """ASGI middleware: a WebSocket handshake from an origin not allowed is refused (HTTP 403)."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        origins = [value.decode("latin1") for name, value in scope.get("headers", []) if name == b"origin"]
        # Read per handshake (a few strings), so that settings changed in tests apply.
        allowed = allowed_origins()
        if scope["type"] == "websocket" and len(origins) == 1 and origin_allowed(origins[0], allowed):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
