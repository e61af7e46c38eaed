"""The bell, live: after a member's notices change, each of their open pages is told to count again.

The event carries no count. Counting means asking each target's app what the member may see (the registry), a
few queries per member: done by the member's own socket (consumers.BellConsumer) in the process that holds it,
only while a page is open, rather than by the request that wrote the notices, once per recipient.

Delivery is best effort and never raises: the notices are stored, and the next page load shows the right count.
"""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

CHANGED = "notifications.changed"
PUBLISH_TIMEOUT = 3.0


def bell_group(user_id: int) -> str:
    return f"notifications.user.{user_id}"


def ping_bells_after_commit(user_ids) -> None:
    """Once the current transaction commits (at once outside one), tell these members' open pages to recount."""
    ids = sorted(set(user_ids))
    if ids:
        transaction.on_commit(lambda: _ping(ids), robust=True)


def _ping(user_ids: list[int]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(_send_all)(layer, user_ids)
    else:
        # On the event loop's own thread (an async caller): do not block it.
        asyncio.ensure_future(_send_all(layer, user_ids))


async def _send_all(layer, user_ids: list[int]) -> None:
    for user_id in user_ids:
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT):
                await layer.group_send(bell_group(user_id), {"type": CHANGED})
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the layer is down: stop trying, the page shows the count on its next load
            logger.warning("Could not update the notification bell of %s members.", len(user_ids), exc_info=True)
            return
