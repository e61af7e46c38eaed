"""The bell's socket: `/ws/notifications/`. Sends `{"type": "unread", "count": n}` on connect and whenever the
member's notices change (live.ping_bells_after_commit), and nothing else; it reads nothing the client sends.

Only an approved member's page may hold one (closed with 4401 otherwise, after accepting, so the browser can
tell why). Each recount also re-checks the member and their session: a page left open after signing out on a
shared computer stops hearing anything.
"""

import asyncio
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model

from . import live, selectors

logger = logging.getLogger(__name__)

CLOSE_NOT_SIGNED_IN = 4401
# As chat does (chat.protocol): a server-side failure, try again later.
CLOSE_TRY_AGAIN = 4503


class BellConsumer(AsyncJsonWebsocketConsumer):
    user_id = None
    group = None
    recount = None
    stale = False

    async def connect(self):
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_approved_member:
            await self.close(code=CLOSE_NOT_SIGNED_IN)
            return
        self.user_id = user.pk
        self.group = live.bell_group(user.pk)
        try:
            await self.channel_layer.group_add(self.group, self.channel_name)
            await self._send_count()
        except Exception:
            logger.exception("The notification bell socket could not be set up.")
            await self.close(code=CLOSE_TRY_AGAIN)

    async def disconnect(self, code):
        if self.recount is not None:
            self.recount.cancel()
        if self.group is not None:
            try:
                await self.channel_layer.group_discard(self.group, self.channel_name)
            except Exception:  # noqa: BLE001 - the layer forgets the channel by itself after a while
                logger.warning("Could not leave the bell group.", exc_info=True)

    async def receive_json(self, content, **kwargs):
        pass  # the bell only listens

    async def notifications_changed(self, event):
        # Several changes close together make one recount: the handler returns at once, and the loop below
        # counts again only if more changes arrived while it was counting.
        self.stale = True
        if self.recount is None or self.recount.done():
            self.recount = asyncio.ensure_future(self._recount_while_stale())

    async def _recount_while_stale(self):
        while self.stale:
            self.stale = False
            try:
                await self._send_count()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - a database hiccup: the next change or page load counts again
                logger.warning("Could not recount the notification bell.", exc_info=True)

    async def _send_count(self):
        count = await database_sync_to_async(self._count)()
        if count is None:
            await self.close(code=CLOSE_NOT_SIGNED_IN)
            return
        await self.send_json({"type": "unread", "count": count})

    def _count(self) -> int | None:
        """The member's unread count, or None when they are no longer signed in here or no longer a member."""
        session = self.scope.get("session")
        key = getattr(session, "session_key", None)
        if key is not None and not session.exists(key):
            return None
        user = get_user_model().objects.filter(pk=self.user_id).first()
        if user is None or not user.is_approved_member:
            return None
        return selectors.unread_count(user)
