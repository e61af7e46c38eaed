"""How connections' notices read, decided when shown (registered in ConnectionsConfig.ready()).

A support alert shows only while the request is open and its reader may still answer it: once a supporter is with
the member, the alert leaves everyone else's list (nothing is left to do, and nothing more is said about them).
"""

from notifications.registry import Shown

from . import selectors
from .models import SupportRequest
from .tasks import SUPPORT_NOTICE


def _answerable_ids(reader, requests: list[SupportRequest]) -> set[int]:
    """Of these requests, those `reader` may answer now, in a fixed number of queries (not one per request)."""
    if not (reader.is_authenticated and reader.is_approved_member) or not requests:
        return set()
    if not reader.is_moderator and not (selectors.is_peer_supporter(reader) and selectors.is_on_duty(reader)):
        return set()
    open_ids = set(
        SupportRequest.objects.filter(selectors.open_q(), pk__in=[r.pk for r in requests]).values_list("pk", flat=True)
    )
    member_ids = {r.member_id for r in requests if r.pk in open_ids}
    reachable = set(
        selectors.reachable_members(reader)
        .filter(selectors.same_side_q(reader), pk__in=member_ids)
        .values_list("pk", flat=True)
    )
    return {r.pk for r in requests if r.pk in open_ids and r.member_id in reachable}


def resolve_support_notices(reader, notices) -> list[Shown | None]:
    requests = list(SupportRequest.objects.filter(pk__in={n.target_id for n in notices}))
    answerable = _answerable_ids(reader, requests)
    return [Shown(text=SUPPORT_NOTICE, url=n.url) if n.target_id in answerable else None for n in notices]


def support_visibility(target_id: int, recipients) -> list[int]:
    """For notify_many: the recipients chosen by selectors.support_responders may all see the alert (it was
    chosen by the same rules, a moment before); only an answered or withdrawn request stops it."""
    if not SupportRequest.objects.filter(selectors.open_q(), pk=target_id).exists():
        return []
    return [r.pk for r in recipients]
