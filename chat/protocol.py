"""The chat protocol's frames (DESIGN.md, "Chat protocol"): parsing what clients send, building what they get.

Extensions beyond the contract (additive, so clients that ignore them keep working):
- `hello` also carries `now` (server time); `catch_up` accepts `since` (a server time) and then also replays
  `message_edited` / `message_removed` for older messages changed since then, so nothing changed while a
  client was away is missed.
- `caught_up` carries `more: true` when catch-up was cut at CATCH_UP_LIMIT; the client asks again.
- `flagged` (`id`, `detail`) confirms a report to its reporter only.
- `error` code `too_many_sockets`, then close code 4429, past MAX_SOCKETS_PER_MEMBER open sockets.
- Close code 1009 (RFC 6455 "message too big") for a frame over MAX_FRAME_BYTES.
"""

import json

from django.utils import timezone

from .models import Message

MAX_BODY = 4000
MAX_FRAME_BYTES = 64 * 1024
HISTORY_LIMIT = 100
CATCH_UP_LIMIT = 500

CLOSE_NOT_SIGNED_IN = 4401
CLOSE_NOT_ALLOWED = 4403
CLOSE_SANCTIONED = 4408
CLOSE_TOO_MANY_SOCKETS = 4429
CLOSE_TOO_BIG = 1009

CLIENT_TYPES = {"send", "catch_up", "history", "edit", "delete", "flag", "typing", "read"}


class ChatError(Exception):
    """A refusal that the client is told about in an `error` frame; the socket stays open."""

    def __init__(self, code: str, detail: str, retry_after: int | None = None):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.retry_after = retry_after

    def frame(self) -> dict:
        frame = {"type": "error", "code": self.code, "detail": self.detail}
        if self.retry_after is not None:
            frame["retry_after"] = self.retry_after
        return frame


def invalid(detail: str) -> ChatError:
    return ChatError("invalid", detail)


def parse(text: str) -> dict:
    """One client frame as a dict with a known `type`, or ChatError("invalid")."""
    try:
        frame = json.loads(text)
    except (TypeError, ValueError):
        raise invalid("That was not valid JSON.") from None
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise invalid("Each frame is a JSON object with a type.")
    if frame["type"] not in CLIENT_TYPES:
        raise invalid(f"Unknown frame type {frame['type'][:40]!r}.")
    return frame


def int_field(frame: dict, name: str, *, minimum: int = 0, default: int | None = None) -> int:
    value = frame.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise invalid(f"{name} must be a whole number of at least {minimum}.")
    return value


def str_field(frame: dict, name: str, *, max_length: int, default: str | None = None) -> str:
    value = frame.get(name, default)
    if not isinstance(value, str):
        raise invalid(f"{name} must be text.")
    return value[:max_length]


def iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def message_frame(message: Message, *, author_name: str | None = None) -> dict:
    return {
        "type": "message",
        "id": message.pk,
        "seq": message.seq,
        "author": {"id": message.author_id, "name": author_name or message.author.display_name},
        "html": message.html,
        "created_at": iso(message.created_at),
        "edited_at": iso(message.edited_at),
        "client_id": message.client_id,
    }


def edited_frame(message: Message) -> dict:
    return {
        "type": "message_edited",
        "id": message.pk,
        "seq": message.seq,
        "html": message.html,
        "edited_at": iso(message.edited_at),
    }


def removed_frame(message: Message) -> dict:
    return {"type": "message_removed", "id": message.pk, "seq": message.seq}


def hello_frame(*, room, user) -> dict:
    return {
        "type": "hello",
        "room": {"slug": room.slug, "name": room.name},
        "seq": room.last_seq,
        "you": {"id": user.pk, "name": user.display_name},
        "slow_mode_seconds": room.slow_mode_seconds,
        "now": iso(timezone.now()),
    }
