"""The chat protocol's frames (DESIGN.md, "Chat protocol"): parsing what clients send, building what they get.

Extensions beyond the contract (additive, so clients that ignore them keep working):
- `hello` also carries `now` (server time); `catch_up` accepts `since` (a server time) and then also replays
  `message_edited` / `message_removed` for older messages changed since then, so nothing changed while a
  client was away is missed.
- `caught_up` carries `more: true` when catch-up was cut at CATCH_UP_LIMIT; the client asks again.
- `flagged` (`id`, `detail`) confirms a report to its reporter only.
- `error` code `too_many_sockets`, then close code 4429, past MAX_SOCKETS_PER_MEMBER open sockets.
- `error` frames answering a client frame carry `request` (that frame's type), so that a client knows which of
  its requests was refused (a refused `catch_up` is retried after `retry_after`; the composer keeps its text
  only for a refused `send`).
- `error` code `too_long` for a frame over MAX_FRAME_BYTES (the socket stays open; Daphne cannot send close code
  1009), and `unavailable` when the server failed (database or Redis trouble): try again shortly (a `send`
  repeated with its client_id is stored once).
- Rate limits (`rate_limited`, `retry_after`) per member on `catch_up`, `history`, `edit`, `delete` and `flag`
  (chat.live.FRAME_LIMITS); edits also count under flood control and slow mode (an edit has its own slow-mode
  turn, so that fixing a typo does not cost the next message). `read` past its limit is dropped silently.
- `catch_up` sends at most CATCH_UP_LIMIT messages, then `caught_up` with `more: true`.
- Text fields containing NUL or unpaired surrogates (`"\\ud800"`) are `invalid`; so are numbers beyond MAX_INT
  and an over-long `client_id` (refused, never cut).
- Typing: a member who chose not to appear in presence sends no `typing` frame to others at all, not even an
  anonymous one: "someone is typing" would itself tell the room that an unlisted member is reading.
- Close codes beyond the contract: 4429 (too many sockets) and 4503 (the server could not set the socket up;
  reconnect later). 4401 also when the member signs out, their session ends or they are deactivated; 4403 when
  a change (room audience, programme groups, role, teen clearance, age line) puts them outside the room; both
  take effect on open sockets at once, in every process.
- `heartbeat` (`seq`: the room's latest) every CHAT_HEARTBEAT_SECONDS to every socket: a client that has not
  seen that seq lost a broadcast on the way (a Redis reset) and sends `catch_up`; a socket silent for several
  heartbeats is dead. (chat/fanout.py)
- `send` is idempotent per (room, member, `client_id`): a repeat is answered, to the sender only, with the
  stored `message` (or `message_removed` with the `client_id`, if it was removed meanwhile); nothing new is
  stored or broadcast. An `error` answering a `send` carries its `client_id`. When the broadcast could not be
  published, the sender gets its `message` directly (the others catch up on the heartbeat).

- `source` (the text as typed: Markdown and mentions) on `message` and `message_edited` frames that answer the
  message's own author (its `send`, `catch_up`, `history`, a held `edit`): an edit starts from it, not from the
  rendered text. Broadcasts go to the whole room and never carry it; the page that sent the text keeps its own
  copy, and an author's page without one offers the edit page (/chat/<room>/messages/<id>/edit/).

Moderation and screening (issue 9; additive):
- `error` code `blocked`: the text matched a blocked watched word; `detail` is the reason written for the
  writer. Nothing was stored. (Answers `send` and `edit`.)
- `error` code `muted` also for a member muted site-wide by a sanction (the detail names /my-standing/, where
  they see why and until when and can appeal); a suspension or ban closes every socket with 4408 at once and
  refuses new ones with 4408.
- `message` with `held: true` and a `detail`: a message that screening held for review. It is sent to its
  author only (as the answer to their `send`, and in their own `history` / `catch_up`); others never receive
  it unless a moderator approves it. An edit that is held is `message_removed` for everyone else.
- A message a moderator restores (or approves after a hold) is broadcast again as a `message` frame with its
  original `seq` and `id`: clients place it by seq (a known id just updates).
- `delete` of someone else's message (moderators) needs a `reason` (`invalid` "Please give a reason"
  otherwise); it is decided through moderation, which tells the author and closes any open report.
- `flag` accepts the reasons in moderation.models.REPORT_REASONS (and the retired `harmful`); `flagged` also
  answers a refused report kindly (already reported, too many reports), `error` `invalid` an unknown reason
  or a message the reporter cannot see.

Blocks (additive): a member and someone they blocked, or who blocked them, do not see each other's messages.
- A message of such a member reaches the reader (live, in `history`, in `catch_up`) as a collapsed `message`:
  same `id`, `seq` and `created_at`, `author` `{"id": null, "name": "Hidden member"}`, `html` a short neutral
  line, `collapsed: true`, and never their text. Seqs stay continuous, so catch-up works as before. Their
  `message_edited` frames are not sent to the reader, nor their `typing`; `presence` leaves them out.
- A block made while a socket is open applies at once: the socket re-checks (the member's access changed) and
  sends `hidden_authors` (`authors`: [{`id`, `html`}]): the page collapses what it already shows of them.

Private rooms (additive; chat.services.open_private_room): the same endpoint and protocol. Only its two
participants may connect (4403 for anyone else, moderators included), and a closed conversation refuses new
sockets and closes open ones with 4403. `send` there is refused with `error` code `closed` once it has ended.
"""

import json
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import Message

MAX_BODY = 4000
MAX_FRAME_BYTES = 64 * 1024
HISTORY_LIMIT = 100
CATCH_UP_LIMIT = 200
MAX_CLIENT_ID = 64
# Larger numbers than a JavaScript client can hold exactly; also keeps SQLite from overflowing its integers.
MAX_INT = 2**53 - 1

CLOSE_NOT_SIGNED_IN = 4401
CLOSE_NOT_ALLOWED = 4403
CLOSE_SANCTIONED = 4408
CLOSE_TOO_MANY_SOCKETS = 4429
CLOSE_TRY_AGAIN = 4503

HELD_DETAIL = (
    "Thank you. Your message is waiting for a moderator to look at it before others can see it; "
    "this usually does not take long."
)

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
    except (TypeError, ValueError, RecursionError):  # RecursionError: arrays or objects nested ~1,000 deep
        raise invalid("That was not valid JSON.") from None
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise invalid("Each frame is a JSON object with a type.")
    for key, value in frame.items():
        if not storable_text(key) or (isinstance(value, str) and not storable_text(value)):
            raise invalid("Text cannot contain NUL characters or unpaired surrogates.")
    if frame["type"] not in CLIENT_TYPES:
        raise invalid(f"Unknown frame type {frame['type'][:40]!r}.")
    return frame


def storable_text(text: str) -> bool:
    """Whether text can be stored and sent on: PostgreSQL refuses NUL, and UTF-8 has no lone surrogates
    (JSON can spell one as "\\ud800"; it would fail in the database or when echoed to other sockets)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def int_field(frame: dict, name: str, *, minimum: int = 0, default: int | None = None) -> int:
    value = frame.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_INT:
        raise invalid(f"{name} must be a whole number of at least {minimum}.")
    return value


def str_field(frame: dict, name: str, *, max_length: int, default: str | None = None, code: str = "invalid") -> str:
    """A text field; longer than `max_length` is refused with `code` (cutting it would lose text unseen)."""
    value = frame.get(name, default)
    if not isinstance(value, str):
        raise invalid(f"{name} must be text.")
    if len(value) > max_length:
        raise ChatError(code, f"{name} can be up to {max_length:,} characters; this one has {len(value):,}.")
    return value


def since_field(frame: dict) -> datetime | None:
    """`since` (a server time from `hello`), as an aware datetime, or None when absent."""
    since = frame.get("since")
    if since is None:
        return None
    try:
        moment = parse_datetime(since) if isinstance(since, str) and len(since) <= 64 else None
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment, UTC)
        if moment is not None:
            moment.astimezone(UTC)  # an offset that pushes it past year 9999 overflows here, not in the database
    except (ValueError, OverflowError):  # well formed but impossible, such as month 13
        moment = None
    if moment is None:
        raise invalid("since must be an ISO 8601 time from the server.")
    return moment


def iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def message_frame(message: Message, *, author_name: str | None = None, viewer=None) -> dict:
    """A `message` frame; with `viewer` its author, it also carries `source` (see the module docstring)."""
    frame = {
        "type": "message",
        "id": message.pk,
        "seq": message.seq,
        "author": {"id": message.author_id, "name": author_name or message.author.display_name},
        "html": message.html,
        "created_at": iso(message.created_at),
        "edited_at": iso(message.edited_at),
        "client_id": message.client_id,
    }
    if message.state == Message.State.HELD:
        # Only ever sent to its author: it awaits a moderator before anyone else sees it.
        frame["held"] = True
        frame["detail"] = HELD_DETAIL
    return _with_source(frame, message, viewer)


def edited_frame(message: Message, *, viewer=None) -> dict:
    frame = {
        "type": "message_edited",
        "id": message.pk,
        "seq": message.seq,
        "html": message.html,
        "edited_at": iso(message.edited_at),
    }
    return _with_source(frame, message, viewer)


def _with_source(frame: dict, message: Message, viewer) -> dict:
    if viewer is not None and viewer.pk == message.author_id:
        frame["source"] = message.body
    return frame


HIDDEN_AUTHOR_NAME = "Hidden member"
BLOCKED_BY_YOU_NOTE = "A message from a member you blocked."
# For the other side of a block: neutral, so that it does not tell a member who blocked them.
NOT_SHOWN_NOTE = "A message that isn't shown to you."


def collapsed_note(*, blocked_by_you: bool) -> str:
    """The line shown in place of a message from a member in a block with the reader (HTML, no member text)."""
    return f"<p>{BLOCKED_BY_YOU_NOTE if blocked_by_you else NOT_SHOWN_NOTE}</p>"


def collapsed_frame(*, id: int, seq: int, created_at: str | None, blocked_by_you: bool) -> dict:
    """A `message` frame standing in for one the reader must not see (see the module docstring): it keeps the
    seq continuous for catch-up and says nothing of its author or text."""
    return {
        "type": "message",
        "id": id,
        "seq": seq,
        "author": {"id": None, "name": HIDDEN_AUTHOR_NAME},
        "html": collapsed_note(blocked_by_you=blocked_by_you),
        "created_at": created_at,
        "edited_at": None,
        "client_id": "",
        "collapsed": True,
    }


def reader_frame(message: Message, *, viewer, blocks) -> dict:
    """The `message` frame of a stored message as `viewer` may see it: collapsed when its author is in a block
    with them (`blocks`, a chat.selectors.BlockView)."""
    if blocks.hides(message.author_id):
        return collapsed_frame(
            id=message.pk,
            seq=message.seq,
            created_at=iso(message.created_at),
            blocked_by_you=message.author_id in blocks.blocked_by_me,
        )
    return message_frame(message, viewer=viewer)


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
