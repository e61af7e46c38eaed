"""Reads of a member's notices, each shown only as far as its reader may see its target now (registry)."""

from django.http import Http404

from . import registry
from .models import Notification

# The bell counts the newest unread notices up to this many; past it, the exact number matters less than the
# page staying quick.
UNREAD_SCAN = 200
LIST_LIMIT = 100


def _shown(user, notices: list[Notification]) -> list[Notification]:
    """The notices `user` may see now, each with `shown` (text and url to display)."""
    visible = []
    for notice, shown in zip(notices, registry.resolve(user, notices), strict=True):
        if shown is not None:
            notice.shown = shown
            visible.append(notice)
    return visible


def unread_count(user) -> int:
    """Unread notices whose target the member may still see (a fixed number of queries)."""
    unread = list(
        Notification.objects.filter(recipient=user, read_at__isnull=True).select_related("actor")[:UNREAD_SCAN]
    )
    return len(_shown(user, unread)) if unread else 0


def notifications_for(user, *, limit: int = LIST_LIMIT) -> list[Notification]:
    """The member's latest notices, newest first, without those about things they can no longer see."""
    notices = list(Notification.objects.filter(recipient=user).select_related("actor")[:limit])
    return _shown(user, notices)


def notification_for(user, pk: int) -> Notification:
    """One of the member's own notices, or 404; `shown` is None when its target is out of their sight now."""
    notice = Notification.objects.filter(recipient=user, pk=pk).select_related("actor").first()
    if notice is None:
        raise Http404("No such notification.")
    notice.shown = registry.resolve(user, [notice])[0]
    return notice
