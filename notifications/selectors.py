"""Reads of a member's notices, each shown only as far as its reader may see its target now (registry), and of
their email preferences."""

import operator
from functools import reduce

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from . import registry
from .kinds import DEFAULT_FREQUENCY, Frequency, KindGroup, kinds_q
from .models import EmailPreference, Notification

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


# The bell (every page) reads the notices whole but of their actor only the name, which is all the resolvers show.
# The actor's other two dozen columns made the query dearer to build than to run: Django hashes every selected
# column to place the ORDER BY.
_BELL_FIELDS = (*(field.name for field in Notification._meta.concrete_fields), "actor__display_name")


def unread_count(user) -> int:
    """Unread notices whose target the member may still see (a fixed number of queries)."""
    unread = list(
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .select_related("actor")
        .only(*_BELL_FIELDS)[:UNREAD_SCAN]
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


# --- email ------------------------------------------------------------------------------------------------------


def preferences_for(user) -> dict[str, str]:
    """How often the member is emailed about each group of notices: {group: frequency}, every group, in the order
    of kinds.KindGroup, the default where they have not chosen (one query)."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("group", "frequency"))
    return {group: chosen.get(group, DEFAULT_FREQUENCY[group]) for group in KindGroup.values}


def _has_frequency(group: str, frequency: str, user_ref: OuterRef):
    """A condition on a member (by `user_ref`) that their email frequency for `group` is `frequency`."""
    chosen = EmailPreference.objects.filter(user=user_ref, group=group)
    if DEFAULT_FREQUENCY[group] == frequency:
        return ~Exists(chosen.exclude(frequency=frequency))
    return Exists(chosen.filter(frequency=frequency))


def members_to_email(*, user_ids, group: str, frequency: str) -> list:
    """Of `user_ids`, the members who can be emailed and want `group` emailed at `frequency` (one query)."""
    users = (
        get_user_model().objects.filter(pk__in=list(user_ids)).filter(_has_frequency(group, frequency, OuterRef("pk")))
    )
    # Only members who may sign in to see what the email points at: not applicants, not closed accounts.
    return [u for u in users.exclude(email="") if u.is_active and u.is_approved_member]


def unemailed_notices(user, groups) -> QuerySet[Notification]:
    """The member's unread notices of `groups` that no email has told them about yet."""
    if not groups:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, read_at__isnull=True, emailed_at__isnull=True).filter(
        kinds_q(groups)
    )


def digest_recipient_ids(period: str) -> QuerySet:
    """Ids of the members with unread notices not yet emailed about in a group they want in the `period` digest
    (daily or weekly), in id order (one query, to iterate in chunks)."""
    if period not in (Frequency.DAILY, Frequency.WEEKLY):
        raise ValueError(f"Not a digest period: {period!r}")
    wanted = [kinds_q([group]) & _has_frequency(group, period, OuterRef("recipient_id")) for group in KindGroup.values]
    return (
        Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True, recipient__is_active=True)
        .filter(reduce(operator.or_, wanted))
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
