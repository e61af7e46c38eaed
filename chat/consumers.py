"""The chat socket: authenticate, check the room, dispatch each frame to a service, relay what comes back.

A socket has no channel-layer channel of its own: chat.fanout's hub, one per process, holds the only channel
and relays to its sockets what is published to their rooms (broadcast frames, written straight to the sockets;
see PERFORMANCE-NOTES.md) and to their members (closing sockets for a sanction, re-checking them after an access
change or a sign-out, chat.signals: `member_event`). A channel per socket cost memory on every connection and,
on the in-memory layer, work on every publish that grew with the number of sockets.

Broadcast frames reach the socket through push(): written at once while the server takes them, queued (up to
CHAT_SEND_QUEUE_FRAMES) behind a write the server made wait because this member's connection is not reading
fast enough, and past that the socket is closed with 4408 "too slow" and its queue dropped. The page then
reconnects and catch_up brings back everything it missed, so one slow phone costs the room neither memory
nor latency (the issue's starved process once held 24,500 queued deliveries).

Nothing a client sends and no failure of the database or Redis may end the socket by an exception: Daphne
would close it with 1011 and disconnect() would never give the member's socket slot back. Every frame is
answered (an `error` frame when refused or failed), and every exit path releases what the socket holds.
"""

import asyncio
import collections
import functools
import json
import logging
import time
import uuid
from importlib import import_module
from types import SimpleNamespace

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.http.cookie import parse_cookie

from moderation.models import Flag
from moderation.services import (
    AlreadyFlagged,
    ItemError,
    ReportError,
    ReportNotFound,
    TooManyReports,
    act_on_target,
)

from . import fanout, live, permissions, protocol, selectors, services, wire
from .models import Message, Room
from .protocol import ChatError
from .signals import session_fingerprint

logger = logging.getLogger(__name__)

# Besides the at-once re-checks (chat.signals), a socket re-checks its session, member and room on a frame when
# the last check is older than this: catches what no signal announces (a session that expired or was deleted).
RECHECK_SECONDS = 60
# Broadcast frames one socket may have waiting behind a write the server has not taken yet (about 6 s of a busy
# room at 10 messages a second, on top of the server's own buffer). Past it the member has fallen behind.
SEND_QUEUE_FRAMES = 64
FELL_BEHIND_REASON = "too slow"


def send_queue_frames() -> int:
    return int(getattr(settings, "CHAT_SEND_QUEUE_FRAMES", SEND_QUEUE_FRAMES))


def _wake(waiter: asyncio.Future, _finished) -> None:
    if not waiter.done():
        waiter.set_result(None)


async def _resume(coro, yielded) -> None:
    """Run to its end a coroutine that push() started by hand, as a Task would: wait for what it yielded (a
    future, or None for a bare yield), send it on, until it returns. Cancelling closes the coroutine."""
    loop = asyncio.get_running_loop()
    try:
        while True:
            if yielded is None:
                await asyncio.sleep(0)
            else:
                yielded._asyncio_future_blocking = False
                done = loop.create_future()
                yielded.add_done_callback(functools.partial(_wake, done))
                await done
            try:
                yielded = coro.send(None)
            except StopIteration:
                return
    except BaseException:
        coro.close()
        raise


class IfLost:
    """A reply sent only if the broadcast it stands for could not be published (Redis away): the sender then
    hears at once that the message is stored; the others catch up on the heartbeat."""

    def __init__(self, publication: fanout.Publication, frame: dict):
        self.publication = publication
        self.frame = frame


def _server_trouble() -> ChatError:
    return ChatError("unavailable", "Something went wrong on our side. Please try again in a moment.")


class ChatConsumer(AsyncWebsocketConsumer):
    room = None
    user = None
    session_key = None
    counted = False  # holds one of the member's socket slots (live.open_socket)
    in_user_group = False
    joined = False  # in the hub's room
    entered = False  # counted in the room's presence (services.enter_room)
    visible = False
    closing = False
    checked_at = 0.0
    # push(): None while every broadcast frame was taken at once; else the frames waiting behind a slow write.
    _backlog: collections.deque | None = None
    _drainer: asyncio.Task | None = None
    _direct: wire.DirectWriter | None = None  # broadcast frames written straight to the socket (chat.wire)
    # The member's blocks, both ways (loaded when the socket opens, renewed on each re-check, which a block
    # announces at once): frames from those members are collapsed or left out for this socket.
    blocks = selectors.BlockView()
    # Per-member events that arrived while the socket was being set up: handled once it is in its room.
    _early_events: list | None = None

    async def __call__(self, scope, receive, send):
        """Channels' consumer loop without the channel of its own that Channels makes for every consumer (the
        hub relays per-member events instead: member_event): messages from the server, one at a time."""
        self.scope = scope
        self.base_send = send
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass

    async def dispatch(self, message):
        # Channels closes stale database connections before every handler through a thread hop. Every database
        # touch here already runs in database_sync_to_async, which does the same, so the extra hop is skipped.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        # Accept, then close with a code: a refused handshake reaches the browser only as "HTTP 403".
        await self.accept()
        self._direct = wire.direct_writer(self.base_send)
        try:
            await self._set_up()
        except Exception:
            logger.exception("chat socket could not be set up")
            await self._shut(protocol.CLOSE_TRY_AGAIN)

    async def _set_up(self):
        self.session_key = self._session_key()
        if not self.session_key:
            await self.close(code=protocol.CLOSE_NOT_SIGNED_IN)
            return
        # Until the socket knows its member (loaded with the room in _open), it hears every member's events: an
        # access change announced while it is being set up waits (member_event) and re-checks it right after.
        self._early_events = []
        hub = fanout.hub()
        await hub.join(fanout.WATCHING, self)
        try:
            self.checked_at = time.monotonic()
            self.socket_id = uuid.uuid4().hex
            # One trip to the database thread for the member, the room, the socket slot, hello and presence: each
            # trip costs a thread hop and a connection, and 1,000 pages reconnect at once after a restart.
            opened = await self._db(self._open, self.scope["url_route"]["kwargs"]["slug"])
            if self.user is not None:
                await hub.join(fanout.user_group(self.user.pk), self)
                self.in_user_group = True
        finally:
            try:
                await hub.leave(fanout.WATCHING, self)
            except Exception:  # noqa: BLE001 - the hub drops the key with its last socket anyway
                logger.warning("chat socket could not stop watching", exc_info=True)
        if opened in (protocol.CLOSE_NOT_SIGNED_IN, protocol.CLOSE_SANCTIONED, protocol.CLOSE_NOT_ALLOWED):
            # Sanctioned (suspended or banned): no chat at all; the page they reach instead says why (/my-standing/).
            await self.close(code=opened)
            return
        if opened == protocol.CLOSE_TOO_MANY_SOCKETS:
            await self._send(
                ChatError(
                    "too_many_sockets", "You have chat open in too many windows. Please close one and try again."
                ).frame()
            )
            await self.close(code=protocol.CLOSE_TOO_MANY_SOCKETS)
            return
        hello, presence = opened
        # hello comes first; anything broadcast between it and joining the room is fetched by the client's
        # catch_up, which it sends on every hello.
        await self._send(hello)
        await fanout.hub().join(fanout.room_group(self.room.pk), self)
        self.joined = True
        await self._send(presence)
        early, self._early_events = self._early_events, None
        own = fanout.user_group(self.user.pk)
        for event in early:
            group = event.get("group", "")
            if group == own or not group.startswith(fanout.USER_GROUP_PREFIX):  # not another member's
                self._spawn(self.dispatch(event))

    async def disconnect(self, code):
        self._drop_backlog()
        await self._release()

    async def _release(self) -> None:
        """Give back what the socket holds. Each step runs even if one before it failed (Redis or the database
        may be the reason the socket is ending), and a second call finds nothing left to do."""
        if self.joined:
            self.joined = False
            try:
                await fanout.hub().leave(fanout.room_group(self.room.pk), self)
            except Exception:
                logger.warning("chat socket could not leave its room's group", exc_info=True)
        if self.in_user_group:
            self.in_user_group = False
            try:
                await fanout.hub().leave(fanout.user_group(self.user.pk), self)
            except Exception:
                logger.warning("chat socket could not leave its member's group", exc_info=True)
        if self.counted or self.entered:
            counted, entered = self.counted, self.entered
            self.counted = self.entered = False
            try:
                await self._db(self._goodbye, counted=counted, entered=entered)
            except Exception:  # the slot then lapses after live.SOCKET_TTL
                logger.warning("chat socket could not give back its slot", exc_info=True)

    async def _shut(self, code: int, reason: str | None = None) -> None:
        """Close with `code`, giving the socket's slot and presence back at once rather than at disconnect."""
        self.closing = True
        self._drop_backlog()
        await self._release()
        try:
            await self.close(code=code, reason=reason)
        except Exception:  # already gone
            logger.debug("chat socket was closed already", exc_info=True)

    # --- broadcast frames: bounded per socket -------------------------------------------------------

    def push(self, message: dict, framed: bytes | None = None) -> None:
        """Called by the hub with a prepared `websocket.send` message (one dict shared by every socket) and, when
        it is the same text, that text framed once for every socket (chat.wire): written straight to the socket
        when the server would take it at once, which is nearly always.

        The write is started by hand rather than awaited: when the server takes it at once (the usual case) no
        task is created at all; a task per socket per frame cost about 20 µs, more than the write itself. Only
        when the server makes the write wait (uvicorn does once this connection's buffer is full) does a task
        finish it, and later frames queue behind it, bounded.
        """
        if self.closing:
            return
        if self._backlog is not None:
            if len(self._backlog) >= send_queue_frames():
                self._fall_behind()
            else:
                self._backlog.append(message)
            return
        if framed is not None and self._direct is not None and self._direct.write(framed):
            return
        coro = self.base_send(message)
        try:
            yielded = coro.send(None)
        except StopIteration:
            return
        except Exception:  # a socket that is going away: its disconnect tidies up
            logger.debug("chat socket could not take a frame", exc_info=True)
            return
        self._backlog = collections.deque()
        self._drainer = asyncio.get_running_loop().create_task(self._drain(coro, yielded))

    async def _drain(self, coro, yielded) -> None:
        try:
            await _resume(coro, yielded)
            while self._backlog:
                await self.base_send(self._backlog.popleft())
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.debug("chat socket could not take a frame", exc_info=True)
        finally:
            if self._drainer is asyncio.current_task():
                self._backlog = self._drainer = None

    def _fall_behind(self) -> None:
        """Too many frames waiting: close with 4408 "too slow". The page reconnects and catches up."""
        self.closing = True
        self._drop_backlog()
        logger.info("chat socket fell behind; closing it (the page reconnects and catches up)")
        self._spawn(self._shut(protocol.CLOSE_SANCTIONED, FELL_BEHIND_REASON))

    def _spawn(self, coro) -> None:
        """Run `coro` in a task of its own, keeping a reference so that the task is not collected before it runs."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks = getattr(self, "_tasks", set())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _drop_backlog(self) -> None:
        drainer, self._drainer, self._backlog = self._drainer, None, None
        if drainer is not None and drainer is not asyncio.current_task():
            drainer.cancel()

    async def receive(self, text_data=None, bytes_data=None):
        if self.room is None or self.closing or not self.joined:
            return
        kind = None
        try:
            frame = self._parse(text_data, bytes_data)
            kind = frame["type"]
            if time.monotonic() - self.checked_at > RECHECK_SECONDS:
                await self.recheck()
                if self.closing:
                    return
            replies = await self._db(self._handle, frame)
        except ChatError as error:
            replies = [self._error(error, kind)]
        except Exception:
            logger.exception("chat frame %r failed", kind)
            replies = [self._error(_server_trouble(), kind)]
        for reply in replies:
            if isinstance(reply, IfLost):
                if reply.publication.published is not False:
                    continue
                reply = reply.frame
            try:
                await self._send(reply)
            except Exception:
                logger.warning("chat socket could not send a reply", exc_info=True)

    @staticmethod
    def _parse(text_data, bytes_data) -> dict:
        if text_data is None:
            if bytes_data is not None and len(bytes_data) <= protocol.MAX_FRAME_BYTES:
                raise protocol.invalid("Frames are JSON text.")
            text_data = ""
            size = len(bytes_data or b"")
        else:
            # Characters first: counting never encodes a huge frame, and a frame is at least one byte per character.
            size = len(text_data)
            if size <= protocol.MAX_FRAME_BYTES:
                size = len(text_data.encode("utf-8", "surrogatepass"))
        if size > protocol.MAX_FRAME_BYTES:
            raise ChatError(
                "too_long", f"A frame can be up to {protocol.MAX_FRAME_BYTES // 1024} KiB; nothing was done with it."
            )
        return protocol.parse(text_data)

    @staticmethod
    def _error(error: ChatError, kind: str | None) -> dict:
        frame = error.frame()
        if kind is not None:
            frame["request"] = kind
        return frame

    async def chat_close(self, event):
        await self._shut(event.get("code", protocol.CLOSE_SANCTIONED))

    async def chat_recheck(self, event):
        await self.recheck()

    async def chat_signed_out(self, event):
        if self.session_key and event.get("session") == session_fingerprint(self.session_key):
            await self._shut(protocol.CLOSE_NOT_SIGNED_IN)

    def member_event(self, event: dict) -> None:
        """Called by the hub with an event published to this socket's member or room (chat.signals: chat.close,
        chat.recheck, chat.signed_out; a room's audience changed: chat.recheck): handled in a task, so that the
        hub's delivery is not held up. One that arrives while the socket is being set up waits until it is in
        its room, then runs."""
        if self.closing:
            return
        if self._early_events is not None:
            self._early_events.append(event)
            return
        self._spawn(self.dispatch(event))

    async def recheck(self) -> None:
        """Load the member and the room afresh and close with 4401 / 4403 if they may no longer be here."""
        if self.closing or not self.joined:
            return
        try:
            code, frames = await database_sync_to_async(self._recheck_and_tell)()
        except Exception:
            # Unable to confirm access: the client reconnects, and the connect-time check decides.
            logger.warning("chat socket could not re-check its member", exc_info=True)
            code, frames = protocol.CLOSE_TRY_AGAIN, []
        if code is not None:
            await self._shut(code)
            return
        for frame in frames:
            await self._send(frame)

    def frame_text_for(self, event: dict, text: str) -> str | None:
        """This socket's version of a room frame, for a member with blocks (chat.fanout's hub asks): `text` itself
        when nothing in it concerns them, a collapsed message, presence without them, or None to send nothing.
        Runs on the event loop: no database."""
        blocks = self.blocks
        kind = event.get("kind")
        if kind == "presence":
            frame = json.loads(text)
            members = [m for m in frame.get("members", []) if m.get("id") not in blocks.hidden]
            return (
                text if len(members) == len(frame.get("members", [])) else fanout.encode({**frame, "members": members})
            )
        author = event.get("author")
        if author is None or not blocks.hides(author):
            return text
        if kind == "message":
            frame = json.loads(text)
            return fanout.encode(
                protocol.collapsed_frame(
                    id=frame["id"],
                    seq=frame["seq"],
                    created_at=frame.get("created_at"),
                    blocked_by_you=author in blocks.blocked_by_me,
                )
            )
        return None  # their edits and typing are not this reader's to see

    async def _send(self, frame: dict | str) -> None:
        """A frame for this member alone (a reply, hello, presence; or one already encoded): after any broadcast
        frames still waiting, so that the member sees them in order; not counted against the bound (a catch_up
        answer is long)."""
        message = {"type": "websocket.send", "text": frame if isinstance(frame, str) else fanout.encode(frame)}
        if self._backlog is not None:
            self._backlog.append(message)
            return
        await self.base_send(message)

    async def _db(self, work, *args, **kwargs):
        """Run `work` in the database thread; what it broadcasts after commit is published from here once it
        returns (fanout.Outbox), saving the thread a hop back to the event loop for each publish."""
        outbox = fanout.Outbox()
        try:
            return await database_sync_to_async(fanout.run_deferring)(outbox, work, *args, **kwargs)
        finally:
            await fanout.publish_from(outbox)

    # --- in a worker thread -------------------------------------------------------------------------

    def _open(self, slug: str):
        """The member of the session, the room check, the socket slot, hello and presence; a close code when
        refused."""
        user = self._session_user()
        if not user.is_authenticated:
            return protocol.CLOSE_NOT_SIGNED_IN
        self.user = user
        if user.is_shut_out:
            return protocol.CLOSE_SANCTIONED
        self.room = self._find_room(slug)
        if self.room is None:
            return protocol.CLOSE_NOT_ALLOWED
        if not live.open_socket(self.user, self.socket_id):
            return protocol.CLOSE_TOO_MANY_SOCKETS
        self.counted = True  # from here on, _release gives the slot back whatever fails next
        return self._hello(), self._enter()

    def _find_room(self, slug: str):
        try:
            room = selectors.room_for(self.user, slug)
        except Http404:
            return None
        if room.is_private and room.is_closed:
            return None  # an ended conversation is read on its page; nothing live happens in it any more
        return room if permissions.can_enter_room(self.user, room) else None

    def _hello(self) -> dict:
        self.blocks = selectors.block_view(self.user)
        # room.last_seq was read a moment ago with the room itself (_find_room), in this same trip.
        return protocol.hello_frame(room=self.room, user=self.user)

    def _presence(self) -> dict:
        members = live.presence_members(self.room.pk)
        return {"type": "presence", "members": [m for m in members if not self.blocks.hides(m["id"])]}

    def _enter(self) -> dict:
        self.visible = services.enter_room(user=self.user, room=self.room)
        self.entered = True
        return self._presence()

    def _goodbye(self, *, counted: bool, entered: bool) -> None:
        try:
            if entered:
                services.leave_room(user=self.user, room=self.room, visible=self.visible)
        finally:
            if counted:
                live.close_socket(self.user, self.socket_id)

    def _recheck_and_tell(self) -> tuple[int | None, list[dict]]:
        """The re-check, and what the page must hear when it passes: members newly in a block with this one
        are collapsed where the page already shows them, and leave its presence list."""
        before = self.blocks.hidden
        code = self._recheck()
        if code is not None:
            return code, []
        newly = sorted(self.blocks.hidden - before)
        if not newly:
            return None, []
        authors = [
            {"id": uid, "html": protocol.collapsed_note(blocked_by_you=uid in self.blocks.blocked_by_me)}
            for uid in newly
        ]
        return None, [{"type": "hidden_authors", "authors": authors}, self._presence()]

    def _recheck(self) -> int | None:
        self.checked_at = time.monotonic()
        # Loaded afresh from the database (auth.get_user): a role, group or sanction decided since shows here.
        user = self._session_user()
        if not user.is_authenticated or user.pk != self.user.pk:
            return protocol.CLOSE_NOT_SIGNED_IN
        if user.is_shut_out:
            self.user = user
            return protocol.CLOSE_SANCTIONED
        try:
            self.room.refresh_from_db()
        except Room.DoesNotExist:
            return protocol.CLOSE_NOT_ALLOWED
        if not permissions.can_enter_room(user, self.room):
            return protocol.CLOSE_NOT_ALLOWED
        self.user = user  # later frames see a changed role at once (a moderator no longer, say)
        self.blocks = selectors.block_view(user)
        if self.room.is_private:
            # Ended, or a block now stands between the two: the conversation is over at once (the room is closed
            # by chat.signals too; this does not wait for it).
            others = set(selectors.participant_ids(self.room)) - {user.pk}
            if self.room.is_closed or others & self.blocks.hidden:
                return protocol.CLOSE_NOT_ALLOWED
        return None

    def _session_key(self) -> str | None:
        """The session named by the handshake's cookie (parsed as Channels' CookieMiddleware does)."""
        for name, value in self.scope.get("headers", ()):
            if name == b"cookie":
                return parse_cookie(value.decode("latin1")).get(settings.SESSION_COOKIE_NAME) or None
        return None

    def _session_user(self):
        """The member of this socket's session as it is now: AnonymousUser once the session was flushed
        (signed out), has expired, or no longer matches the account (deactivated, password changed)."""
        if not self.session_key:
            return AnonymousUser()
        store = import_module(settings.SESSION_ENGINE).SessionStore(self.session_key)
        return auth.get_user(SimpleNamespace(session=store))

    def _refresh_restriction(self):
        """Read the member's sanction and room mute afresh before they write: a mute decided a moment ago applies
        to this very frame, even if the re-check it announced (chat.signals) has not reached this socket yet.
        One query for both; returns when the room mute ends (None: not muted), for the permission check."""
        *values, mute_until = selectors.posting_state(self.user, self.room)
        for name, value in zip(("restriction", "restricted_until", "read_only_until"), values, strict=True):
            setattr(self.user, name, value)
        return mute_until

    def _handle(self, frame: dict) -> list[dict]:
        kind = frame["type"]
        limited = live.check_frame_rate(self.user, kind)
        if limited:
            if kind == "read":
                return []  # a later read carries a higher seq anyway
            raise ChatError(
                "rate_limited", "That is a lot of requests at once. Please wait a moment.", limited.retry_after
            )
        try:
            return getattr(self, "_on_" + kind)(frame) or []
        except PermissionDenied as denied:
            code = getattr(denied, "code", "forbidden")
            raise ChatError(code, getattr(denied, "detail", "You cannot do that here.")) from None

    def _message(self, frame: dict):
        message = selectors.message_in_room(self.room, protocol.int_field(frame, "id", minimum=1))
        if message is None:
            raise protocol.invalid("There is no such message in this room.")
        return message

    def _on_send(self, frame):
        # The page keeps a message as "not sent yet" until a `message` frame with its client_id arrives, and
        # resends it under the same client_id after a reconnect; a refusal names the client_id, so that the page
        # can show which message was not sent and keep its text.
        client_id = protocol.str_field(frame, "client_id", max_length=protocol.MAX_CLIENT_ID, default="")
        try:
            body = frame.get("body")
            if not isinstance(body, str):
                raise protocol.invalid("body must be text.")
            stored = None
            try:
                mute_until = self._refresh_restriction()
                permissions.check_post(self.user, self.room, mute_until=mute_until)
            except PermissionDenied:
                # A resend of a stored message is answered with it, even if the member could not post it now.
                # Looked up only here: post_message answers a resend itself, and the lookup is a query per send.
                stored = selectors.sent_message(room=self.room, author=self.user, client_id=client_id)
                if stored is None:
                    raise
            else:
                posted = services.post_message(room=self.room, author=self.user, body=body, client_id=client_id)
        except PermissionDenied as denied:
            refused = ChatError(
                getattr(denied, "code", "forbidden"), getattr(denied, "detail", "You cannot do that here.")
            )
            return [{**refused.frame(), "request": "send", "client_id": client_id}]
        except ChatError as error:
            return [{**error.frame(), "request": "send", "client_id": client_id}]
        if stored is not None or posted.repeat:
            message = stored or posted.message
            if not (message.is_visible or message.is_held):
                return [{**protocol.removed_frame(message), "client_id": client_id}]
            return [protocol.message_frame(message, viewer=self.user)]
        replies = []
        if posted.held:
            # Not broadcast: only the author sees it, marked as awaiting review.
            replies.append(protocol.message_frame(posted.message, author_name=self.user.display_name, viewer=self.user))
        elif posted.published is not True:
            # Published from the event loop once this returns (ChatConsumer._db); if that fails (Redis away), the
            # sender hears at once that it is stored; the others get it from catch_up when their heartbeat shows
            # the new seq.
            frame = protocol.message_frame(posted.message, author_name=self.user.display_name, viewer=self.user)
            replies.append(IfLost(posted.publication, frame) if posted.publication is not None else frame)
        if posted.crisis_html:
            replies.append({"type": "crisis_resources", "html": posted.crisis_html})
        return replies

    def _on_catch_up(self, frame):
        after = protocol.int_field(frame, "after_seq")
        upto = selectors.current_seq(self.room)
        replies = []
        moment = protocol.since_field(frame)
        if moment is not None:
            for message in selectors.changed_messages(self.room, since=moment, upto_seq=min(after, upto)):
                hidden = self.blocks.hides(message.author_id)
                if message.is_held and message.author_id == self.user.pk:
                    replies.append(protocol.message_frame(message, viewer=self.user))
                elif message.is_visible and message.changed_at == message.edited_at:
                    if not hidden:  # an edit of a collapsed message changes nothing the reader sees
                        replies.append(protocol.edited_frame(message, viewer=self.user))
                elif message.is_visible:
                    # Restored (or approved) since: the client may never have had it.
                    replies.append(protocol.reader_frame(message, viewer=self.user, blocks=self.blocks))
                else:
                    replies.append(protocol.removed_frame(message))
        shared = selectors.shared_messages_after(
            self.room, after_seq=after, upto_seq=upto, limit=protocol.CATCH_UP_LIMIT
        )
        if shared is not None:
            # The stretch fits in one answer: frames encoded once for everyone catching up on it, each reader
            # getting what is theirs (own messages with their source and held ones, authors collapsed for them).
            viewer = self.user.pk
            for item in shared:
                message = item.message
                if message.author_id == viewer:
                    replies.append(protocol.message_frame(message, viewer=self.user))
                elif message.state != Message.State.VISIBLE:
                    continue  # held for review: its author's alone
                elif self.blocks.hides(message.author_id):
                    replies.append(protocol.reader_frame(message, viewer=self.user, blocks=self.blocks))
                else:
                    replies.append(item.text)
            replies.append({"type": "caught_up", "seq": max(upto, after), "more": False})
            return replies
        messages = selectors.messages_after(
            self.room, after_seq=after, upto_seq=upto, limit=protocol.CATCH_UP_LIMIT, viewer=self.user
        )
        replies.extend(protocol.reader_frame(m, viewer=self.user, blocks=self.blocks) for m in messages)
        more = len(messages) == protocol.CATCH_UP_LIMIT
        replies.append({"type": "caught_up", "seq": messages[-1].seq if more else max(upto, after), "more": more})
        return replies

    def _on_history(self, frame):
        before = protocol.int_field(frame, "before_seq", minimum=1)
        limit = min(protocol.int_field(frame, "limit", minimum=1, default=50), protocol.HISTORY_LIMIT)
        messages, has_more = selectors.latest_messages(self.room, before_seq=before, limit=limit, viewer=self.user)
        return [
            {
                "type": "history",
                "messages": [protocol.reader_frame(m, viewer=self.user, blocks=self.blocks) for m in messages],
                "has_more": has_more,
            }
        ]

    def _on_edit(self, frame):
        message = self._message(frame)
        body = frame.get("body")
        if not isinstance(body, str):
            raise protocol.invalid("body must be text.")
        mute_until = self._refresh_restriction()
        permissions.check_edit_message(self.user, message, mute_until=mute_until)
        edited = services.edit_message(message=message, actor=self.user, body=body)
        replies = []
        if edited.held:
            replies.append(protocol.message_frame(edited.message, author_name=self.user.display_name, viewer=self.user))
        if edited.crisis_html:
            replies.append({"type": "crisis_resources", "html": edited.crisis_html})
        return replies

    def _on_delete(self, frame):
        message = self._message(frame)
        if message.author_id != self.user.pk and self._recheck() is not None:
            # Removing someone else's message is a moderator's power: it is confirmed as the member is now, not
            # as they were when the socket opened (the re-check event that closes this socket may still be on
            # its way).
            raise permissions.ChatPermissionDenied("You cannot do that here.")
        permissions.check_remove_message(self.user, message)
        reason = protocol.str_field(frame, "reason", max_length=500, default="")
        if message.author_id == self.user.pk:
            services.remove_message(message=message, actor=self.user, reason=reason)
            return
        # A moderator's removal is moderation's decision: it closes any open report and tells the author why.
        if not reason.strip():
            raise protocol.invalid("Please give a reason: the member sees it, and it goes in the audit log.")
        try:
            act_on_target(kind="message", target=message, actor=self.user, action="remove", reason=reason)
        except ItemError as refused:
            raise protocol.invalid(" ".join(refused.messages)) from None

    def _on_flag(self, frame):
        message = self._message(frame)
        reason = protocol.str_field(frame, "reason", max_length=20, default="")
        if reason not in Flag.Reason.values:
            raise protocol.invalid(f"reason must be one of: {', '.join(Flag.Reason.values)}.")
        note = protocol.str_field(frame, "note", max_length=1000, default="", code="too_long")
        permissions.check_flag_message(self.user, message)
        try:
            services.flag_message(message=message, reporter=self.user, reason=reason, note=note)
        except (AlreadyFlagged, TooManyReports) as refused:
            # Not an error on the reporter's part: told kindly, in the same frame as thanks.
            return [{"type": "flagged", "id": message.pk, "detail": str(refused)}]
        except ReportNotFound:
            raise protocol.invalid("There is no such message in this room.") from None
        except ReportError as refused:
            raise protocol.invalid(str(refused)) from None
        return [
            {
                "type": "flagged",
                "id": message.pk,
                "detail": "Thank you. The moderators will look at it; nobody is told who reported it.",
            }
        ]

    def _on_typing(self, frame):
        services.note_typing(user=self.user, room=self.room)

    def _on_read(self, frame):
        services.mark_read(user=self.user, room=self.room, seq=protocol.int_field(frame, "seq"))
        live.touch_socket(self.user, self.socket_id)
        if self.visible:
            live.presence_touch(self.room.pk, self.user.pk)
