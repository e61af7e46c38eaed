"""The chat socket: authenticate, check the room, dispatch each frame to a service, relay what comes back.

Room broadcasts do not pass through this consumer's own channel: chat.fanout's hub writes the prepared frame
straight to the sockets of this process (see PERFORMANCE-NOTES.md). Only per-member events (closing sockets
for a sanction) arrive on the consumer's channel.
"""

import uuid

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.dateparse import parse_datetime

from moderation.models import Flag
from moderation.services import AlreadyFlagged

from . import fanout, live, permissions, protocol, selectors, services
from .protocol import ChatError


class ChatConsumer(AsyncWebsocketConsumer):
    room = None
    counted = False
    joined = False
    visible = False

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
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=protocol.CLOSE_NOT_SIGNED_IN)
            return
        self.user = user
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
        await self.channel_layer.group_add(fanout.user_group(user.pk), self.channel_name)
        await fanout.hub().join(fanout.room_group(self.room.pk), self)
        self.joined = True
        await self._send(await database_sync_to_async(self._enter)())

    async def disconnect(self, code):
        if self.joined:
            await fanout.hub().leave(fanout.room_group(self.room.pk), self)
            await self.channel_layer.group_discard(fanout.user_group(self.user.pk), self.channel_name)
        if self.counted:
            await database_sync_to_async(self._goodbye)()

    async def receive(self, text_data=None, bytes_data=None):
        if self.room is None:
            return
        if text_data is None or len(text_data.encode()) > protocol.MAX_FRAME_BYTES:
            if bytes_data is not None and len(bytes_data) <= protocol.MAX_FRAME_BYTES:
                await self._send(protocol.invalid("Frames are JSON text.").frame())
                return
            await self.close(code=protocol.CLOSE_TOO_BIG)
            return
        try:
            frame = protocol.parse(text_data)
            replies = await database_sync_to_async(self._handle)(frame)
        except ChatError as error:
            replies = [error.frame()]
        for reply in replies:
            await self._send(reply)

    async def chat_close(self, event):
        await self.close(code=event.get("code", protocol.CLOSE_SANCTIONED))

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
        return {"type": "presence", "members": live.presence_members(self.room.pk)}

    def _goodbye(self) -> None:
        live.close_socket(self.user, self.socket_id)
        if self.joined:
            services.leave_room(user=self.user, room=self.room, visible=self.visible)

    def _handle(self, frame: dict) -> list[dict]:
        try:
            return getattr(self, "_on_" + frame["type"])(frame) or []
        except PermissionDenied as denied:
            code = getattr(denied, "code", "forbidden")
            return [ChatError(code, getattr(denied, "detail", "You cannot do that here.")).frame()]

    def _message(self, frame: dict):
        message = selectors.message_in_room(self.room, protocol.int_field(frame, "id", minimum=1))
        if message is None:
            raise protocol.invalid("There is no such message in this room.")
        return message

    def _on_send(self, frame):
        body = frame.get("body")
        if not isinstance(body, str):
            raise protocol.invalid("body must be text.")
        client_id = protocol.str_field(frame, "client_id", max_length=64, default="")
        permissions.check_post(self.user, self.room)
        posted = services.post_message(room=self.room, author=self.user, body=body, client_id=client_id)
        if posted.crisis_html:
            return [{"type": "crisis_resources", "html": posted.crisis_html}]
        return None

    def _on_catch_up(self, frame):
        after = protocol.int_field(frame, "after_seq")
        upto = selectors.current_seq(self.room)
        replies = []
        since = frame.get("since")
        if since is not None:
            moment = parse_datetime(since) if isinstance(since, str) else None
            if moment is None:
                raise protocol.invalid("since must be an ISO 8601 time from the server.")
            for message in selectors.changed_messages(self.room, since=moment, upto_seq=min(after, upto)):
                changed = protocol.edited_frame if message.is_visible else protocol.removed_frame
                replies.append(changed(message))
        messages = selectors.messages_after(self.room, after_seq=after, upto_seq=upto, limit=protocol.CATCH_UP_LIMIT)
        replies.extend(protocol.message_frame(m) for m in messages)
        more = len(messages) == protocol.CATCH_UP_LIMIT
        replies.append({"type": "caught_up", "seq": messages[-1].seq if more else max(upto, after), "more": more})
        return replies

    def _on_history(self, frame):
        before = protocol.int_field(frame, "before_seq", minimum=1)
        limit = min(protocol.int_field(frame, "limit", minimum=1, default=50), protocol.HISTORY_LIMIT)
        messages, has_more = selectors.latest_messages(self.room, before_seq=before, limit=limit)
        return [{"type": "history", "messages": [protocol.message_frame(m) for m in messages], "has_more": has_more}]

    def _on_edit(self, frame):
        message = self._message(frame)
        body = frame.get("body")
        if not isinstance(body, str):
            raise protocol.invalid("body must be text.")
        permissions.check_edit_message(self.user, message)
        services.edit_message(message=message, actor=self.user, body=body)

    def _on_delete(self, frame):
        message = self._message(frame)
        permissions.check_remove_message(self.user, message)
        reason = protocol.str_field(frame, "reason", max_length=500, default="")
        services.remove_message(message=message, actor=self.user, reason=reason)

    def _on_flag(self, frame):
        message = self._message(frame)
        reason = protocol.str_field(frame, "reason", max_length=20, default="")
        if reason not in Flag.Reason.values:
            raise protocol.invalid(f"reason must be one of: {', '.join(Flag.Reason.values)}.")
        note = protocol.str_field(frame, "note", max_length=1000, default="")
        permissions.check_flag_message(self.user, message)
        try:
            services.flag_message(message=message, reporter=self.user, reason=reason, note=note)
        except AlreadyFlagged as already:
            return [{"type": "flagged", "id": message.pk, "detail": str(already)}]
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
