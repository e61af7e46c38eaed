"""Who may do what in chat. Services assume the check was done.

Checks raise `Http404` where a room's existence must stay hidden, otherwise `ChatPermissionDenied`, whose `code`
is the protocol's error code (`forbidden`, `muted`), so that the socket and the page say the same thing.
"""

import zoneinfo

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import dateformat, timezone

from members.audience import in_audience
from members.permissions import can_moderate

from . import selectors
from .models import Message, Room


class ChatPermissionDenied(PermissionDenied):
    def __init__(self, detail: str, code: str = "forbidden"):
        super().__init__(detail)
        self.code = code
        self.detail = detail


def can_enter_room(user, room: Room) -> bool:
    """In the room's audience; for a private room, also one of its participants (moderators included: they do
    not browse private conversations)."""
    if not (user.is_authenticated and in_audience(user, room)):
        return False
    return not room.is_private or selectors.is_private_participant(user, room)


def check_enter_room(user, room: Room) -> None:
    """Outside the room's audience the room does not exist (404), as for forum categories."""
    if not can_enter_room(user, room):
        raise Http404("No such room.")


def can_moderate_room(user, room: Room) -> bool:
    # A moderator in a private conversation takes part as a member; reports reach the queue like any other.
    return can_moderate(user) and not room.is_private and can_enter_room(user, room)


def check_close_private_room(user, room: Room) -> None:
    """Either participant may end a private conversation; anyone else does not learn it exists (404)."""
    if not room.is_private or not selectors.is_private_participant(user, room):
        raise Http404("No such conversation.")
    if room.is_closed:
        raise ChatPermissionDenied("This conversation has already ended.")


def can_close_private_room(user, room: Room) -> bool:
    """check_close_private_room as a yes or no (for templates)."""
    try:
        check_close_private_room(user, room)
    except (Http404, PermissionDenied):
        return False
    return True


def check_moderate_room(user, room: Room) -> None:
    """Moderators (and staff) who can see the room may remove any message and mute members in it (not in a
    private conversation they take part in: there they are one of two members)."""
    check_enter_room(user, room)
    if not can_moderate_room(user, room):
        raise ChatPermissionDenied("Only moderators can do that.")


def read_only_detail() -> str:
    """What a muted (site-wide) member is told wherever they try to write."""
    return (
        "You can read here, but you cannot write for now. You can see why, until when, and ask for it to be "
        f"looked at again on your account standing page: {reverse('moderation_member:standing')}"
    )


CLOSED_DETAIL = "This conversation has ended. You can still read it, but new messages can't be sent."

# Times end in "a.m."/"p.m." mid-sentence, never before a full stop ("7:00 p.m.." reads like a typo).
UNTIL_FORMAT = r"g:i a \o\n M j"
OPENS_FORMAT = r"g:i a \o\n l"


def _member_time(user, moment, format_string: str) -> str:
    """A time as the pages show it (Django's date format, in the member's own zone): the socket has no request,
    so the zone comes from the member (User.time_zone, or the clinic's)."""
    try:
        zone = zoneinfo.ZoneInfo(user.time_zone) if getattr(user, "time_zone", "") else timezone.get_default_timezone()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = timezone.get_default_timezone()
    return dateformat.format(timezone.localtime(moment, zone), format_string)


_UNREAD = object()


def check_post(user, room: Room, *, mute_until=_UNREAD) -> None:
    """A member may write unless muted (site-wide by a sanction, or in this room) or the room is outside its
    scheduled hours. A socket that has just read the room mute with the member's standing
    (selectors.posting_state) passes when it ends as `mute_until` (None: not muted), saving a query per frame."""
    if user.is_read_only:
        raise ChatPermissionDenied(read_only_detail(), code="muted")
    if mute_until is _UNREAD:
        mute = selectors.active_mute(user=user, room=room)
        mute_until = mute.until if mute is not None else None
    if mute_until is not None:
        raise ChatPermissionDenied(
            f"You can read this room but not write in it until {_member_time(user, mute_until, UNTIL_FORMAT)}: "
            "a moderator paused your messages in this room only, and the pause ends by itself. You can still "
            "write everywhere else.",
            code="muted",
        )
    if room.is_closed:
        raise ChatPermissionDenied(CLOSED_DETAIL, code="closed")
    now = timezone.now()
    if not room.is_open_at(now):
        opens = room.next_opening(now)
        when = f" It opens again at {_member_time(user, opens, OPENS_FORMAT)}." if opens else ""
        raise ChatPermissionDenied(f"This room is closed right now and can be read only.{when}")


def can_edit_message(user, message: Message) -> bool:
    return message.author_id == user.pk and message.is_visible


def check_edit_message(user, message: Message, *, mute_until=_UNREAD) -> None:
    if not can_edit_message(user, message):
        raise ChatPermissionDenied("You can only edit your own messages.")
    check_post(user, message.room, mute_until=mute_until)


def can_remove_message(user, message: Message) -> bool:
    if message.author_id == user.pk:
        # One's own message awaiting review may be taken back too.
        return message.state in (Message.State.VISIBLE, Message.State.HELD)
    return message.is_visible and can_moderate_room(user, message.room)


def check_remove_message(user, message: Message) -> None:
    if not can_remove_message(user, message):
        raise ChatPermissionDenied("You can only remove your own messages.")


def check_flag_message(user, message: Message) -> None:
    if message.author_id == user.pk:
        raise ChatPermissionDenied("You cannot report your own message; you can edit or remove it instead.")
    if not message.is_visible:
        raise ChatPermissionDenied("That message has already been removed.")


def can_manage_rooms(user) -> bool:
    return user.is_authenticated and user.is_approved_member and user.is_clinic_staff
