"""Private conversations, delivered by chat's private rooms (same socket protocol, catch-up, screening, reports).
This app decides who may start one (connections.permissions.check_start_conversation); chat keeps them."""

from chat.models import Room
from chat.selectors import private_rooms_for
from chat.services import PrivateRoomError, close_private_room, open_private_room

from .. import selectors
from ..models import SupportRequest
from .errors import ConnectionsError


def start_conversation(*, member, other) -> Room:
    """The open private conversation between `member` and `other`, opened if there is none (the same room for
    the same pair, however often asked). The permission check ran first; chat refuses what it never allows."""
    try:
        return open_private_room(members=[member, other], opened_by=member)
    except PrivateRoomError as refused:
        raise ConnectionsError(refused.detail) from None


def _still_founded(member, other) -> bool:
    """A conversation between these two may go on without a buddyship: one of them is on the team, or it began
    with a support request one of them answered."""
    if member.is_moderator or other.is_moderator or member.is_clinic_staff or other.is_clinic_staff:
        return True
    if selectors.are_buddies(member, other):
        return True
    return SupportRequest.objects.filter(member__in=[member, other], answered_by__in=[member, other]).exists()


def close_conversation_if_unfounded(*, member, other) -> bool:
    """After a buddyship ends: close their conversation unless something else still founds it. True if closed."""
    room = private_rooms_for(member).filter(other_id=other.pk, closed_at__isnull=True).first()
    if room is None or _still_founded(member, other):
        return False
    close_private_room(room=room, actor=member)
    return True
