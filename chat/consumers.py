"""The chat socket: authenticate, check the room, dispatch each frame to a service, relay what comes back.

Room broadcasts do not pass through this consumer's own channel: chat.fanout's hub writes the prepared frame
straight to the sockets of this process (see PERFORMANCE-NOTES.md). Only per-member events (closing sockets
for a sanction, re-checking them after an access change or a sign-out, chat.signals) arrive on the consumer's
channel; a room's re-check comes through the hub (recheck_soon).

Nothing a client sends and no failure of the database or Redis may end the socket by an exception: Daphne
would close it with 1011 and disconnect() would never give the member's socket slot back. Every frame is
answered (an `error` frame when refused or failed), and every exit path releases what the socket holds.
"""

import asyncio
import logging
import time
import uuid
from importlib import import_module
from types import SimpleNamespace

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from members.models import User
from moderation.models import Flag
from moderation.services import (
    AlreadyFlagged,
    ItemError,
    ReportError,
    ReportNotFound,
    TooManyReports,
    act_on_target,
)

from . import fanout, live, permissions, protocol, selectors, services
from .models import Room
from .protocol import ChatError
from .signals import session_fingerprint

logger = logging.getLogger(__name__)

# Besides the at-once re-checks (chat.signals), a socket re-checks its session, member and room on a frame when
# the last check is older than this: catches what no signal announces (a session that expired or was deleted).
RECHECK_SECONDS = 60


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
        try:
            await self._set_up()
        except Exception:
            logger.exception("chat socket could not be set up")
            await self._shut(protocol.CLOSE_TRY_AGAIN)

    async def _set_up(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=protocol.CLOSE_NOT_SIGNED_IN)
            return
        if user.is_shut_out:
            # Suspended or banned: no chat at all. The page they reach instead says why (/my-standing/).
            await self.close(code=protocol.CLOSE_SANCTIONED)
            return
        self.user = user
        session = self.scope.get("session")
        self.session_key = session.session_key if session is not None else None
        # The member's own group before the room is checked: an access change announced while this socket is
        # being set up waits in the channel's queue and re-checks it right after.
        await self.channel_layer.group_add(fanout.user_group(user.pk), self.channel_name)
        self.in_user_group = True
        self.checked_at = time.monotonic()
        self.room = await database_sync_to_async(self._find_room)(self.scope["url_route"]["kwargs"]["slug"])
        if self.room is None:
            await self.close(code=protocol.CLOSE_NOT_ALLOWED)
            return
        self.socket_id = uuid.uuid4().hex
        if not await database_sync_to_async(live.open_socket)(user, self.socket_id):
            await self._send(
                ChatError(
                    "too_many_sockets", "You have chat open in too many windows. Please close one and try again."
                ).frame()
            )
            await self.close(code=protocol.CLOSE_TOO_MANY_SOCKETS)
            return
        self.counted = True
        # hello comes first; anything broadcast between it and joining the room is fetched by the client's
        # catch_up, which it sends on every hello.
        await self._send(await database_sync_to_async(self._hello)())
        await fanout.hub().join(fanout.room_group(self.room.pk), self)
        self.joined = True
        await self._send(await database_sync_to_async(self._enter)())

    async def disconnect(self, code):
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
                await self.channel_layer.group_discard(fanout.user_group(self.user.pk), self.channel_name)
            except Exception:
                logger.warning("chat socket could not leave its member's group", exc_info=True)
        if self.counted or self.entered:
            counted, entered = self.counted, self.entered
            self.counted = self.entered = False
            try:
                await database_sync_to_async(self._goodbye)(counted=counted, entered=entered)
            except Exception:  # the slot then lapses after live.SOCKET_TTL
                logger.warning("chat socket could not give back its slot", exc_info=True)

    async def _shut(self, code: int) -> None:
        """Close with `code`, giving the socket's slot and presence back at once rather than at disconnect."""
        self.closing = True
        await self._release()
        try:
            await self.close(code=code)
        except Exception:  # already gone
            logger.debug("chat socket was closed already", exc_info=True)

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
            replies = await database_sync_to_async(self._handle)(frame)
        except ChatError as error:
            replies = [self._error(error, kind)]
        except Exception:
            logger.exception("chat frame %r failed", kind)
            replies = [self._error(_server_trouble(), kind)]
        for reply in replies:
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

    def recheck_soon(self) -> None:
        """Called by the hub (a room's audience changed): re-check without holding up the hub's delivery."""
        if self.closing or not self.joined:
            return
        task = asyncio.get_running_loop().create_task(self.recheck())
        self._rechecks = getattr(self, "_rechecks", set())
        self._rechecks.add(task)  # a reference, so that the task is not collected before it runs
        task.add_done_callback(self._rechecks.discard)

    async def recheck(self) -> None:
        """Load the member and the room afresh and close with 4401 / 4403 if they may no longer be here."""
        if self.closing or not self.joined:
            return
        try:
            code = await database_sync_to_async(self._recheck)()
        except Exception:
            # Unable to confirm access: the client reconnects, and the connect-time check decides.
            logger.warning("chat socket could not re-check its member", exc_info=True)
            code = protocol.CLOSE_TRY_AGAIN
        if code is not None:
            await self._shut(code)

    async def _send(self, frame: dict) -> None:
        await self.send(text_data=fanout.encode(frame))

    # --- in a worker thread -------------------------------------------------------------------------

    def _find_room(self, slug: str):
        try:
            room = selectors.room_for(self.user, slug)
        except Http404:
            return None
        return room if permissions.can_enter_room(self.user, room) else None

    def _hello(self) -> dict:
        self.room.last_seq = selectors.current_seq(self.room)
        return protocol.hello_frame(room=self.room, user=self.user)

    def _enter(self) -> dict:
        self.visible = services.enter_room(user=self.user, room=self.room)
        self.entered = True
        return {"type": "presence", "members": live.presence_members(self.room.pk)}

    def _goodbye(self, *, counted: bool, entered: bool) -> None:
        try:
            if entered:
                services.leave_room(user=self.user, room=self.room, visible=self.visible)
        finally:
            if counted:
                live.close_socket(self.user, self.socket_id)

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
        return None

    def _session_user(self):
        """The member of this socket's session as it is now: AnonymousUser once the session was flushed
        (signed out), has expired, or no longer matches the account (deactivated, password changed)."""
        if not self.session_key:
            return AnonymousUser()
        store = import_module(settings.SESSION_ENGINE).SessionStore(self.session_key)
        return auth.get_user(SimpleNamespace(session=store))

    def _refresh_restriction(self) -> None:
        """Read the member's sanction afresh before they write: a mute decided a moment ago applies to this very
        frame, even if the re-check it announced (chat.signals) has not reached this socket yet."""
        fields = ("restriction", "restricted_until", "read_only_until")
        values = User.objects.filter(pk=self.user.pk).values_list(*fields).get()
        for name, value in zip(fields, values, strict=True):
            setattr(self.user, name, value)

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
            # A resend of a stored message is answered with it, even if the member could not post it now.
            stored = selectors.sent_message(room=self.room, author=self.user, client_id=client_id)
            if stored is None:
                self._refresh_restriction()
                permissions.check_post(self.user, self.room)
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
        elif posted.published is False:
            # The broadcast could not be published (Redis away): the sender hears at once that it is stored; the
            # others get it from catch_up when their heartbeat shows the new seq.
            replies.append(protocol.message_frame(posted.message, author_name=self.user.display_name, viewer=self.user))
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
                if message.is_held and message.author_id == self.user.pk:
                    replies.append(protocol.message_frame(message, viewer=self.user))
                elif message.is_visible and message.changed_at == message.edited_at:
                    replies.append(protocol.edited_frame(message, viewer=self.user))
                elif message.is_visible:
                    # Restored (or approved) since: the client may never have had it.
                    replies.append(protocol.message_frame(message, viewer=self.user))
                else:
                    replies.append(protocol.removed_frame(message))
        messages = selectors.messages_after(
            self.room, after_seq=after, upto_seq=upto, limit=protocol.CATCH_UP_LIMIT, viewer=self.user
        )
        replies.extend(protocol.message_frame(m, viewer=self.user) for m in messages)
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
                "messages": [protocol.message_frame(m, viewer=self.user) for m in messages],
                "has_more": has_more,
            }
        ]

    def _on_edit(self, frame):
        message = self._message(frame)
        body = frame.get("body")
        if not isinstance(body, str):
            raise protocol.invalid("body must be text.")
        self._refresh_restriction()
        permissions.check_edit_message(self.user, message)
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
