"""Private rooms: a conversation between two members, which the connections app offers as private messages.

They use all of chat's machinery (seq, catch-up, the socket protocol, screening, reports); what differs is who
may reach them: only their two participants, never listed, never browsed by moderators (chat.selectors,
chat.permissions). A block between the two ends the conversation at once (chat.signals).
"""

import itertools
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from members.audience import Audience
from members.blocking import is_blocked_between
from members.models import User

from .. import fanout
from ..models import PrivateRoomMember, Room
from ..protocol import ChatError

PRIVATE_ROOM_NAME = "Private conversation"
# A block is between two members; an access change naming many members at once is something else (a staff
# change to a group), and is not searched for pairs.
MAX_IDS_FOR_PAIRS = 20


class PrivateRoomError(ChatError):
    """A private conversation that cannot be opened; `detail` (also str()) is written for the member."""

    def __init__(self, detail: str):
        super().__init__("forbidden", detail)


def _pair_key(a_id: int, b_id: int) -> str:
    low, high = sorted((a_id, b_id))
    return f"{low}-{high}"


def _open_room_of_pair(key: str) -> Room | None:
    return Room.objects.filter(kind=Room.Kind.PRIVATE, pair_key=key, closed_at__isnull=True).first()


def open_private_room(*, members: list[User], opened_by: User) -> Room:
    """The open private room between `opened_by` and the one other member in `members`, created if there is none.

    Idempotent: the same pair gets the same open room (race-safe: a unique constraint on open rooms per pair).
    Refused with PrivateRoomError (a kind message for the member) when it is not exactly two people, when either
    is not an approved, active member, across the teen/adult line, or when either has blocked the other (the
    message does not say which). Permission to message this member at all (buddies) is the caller's to check.
    """
    people = {user.pk: user for user in [opened_by, *members]}
    if len(people) != 2:
        raise PrivateRoomError("A private conversation is between you and one other member.")
    other = next(user for pk, user in people.items() if pk != opened_by.pk)
    if not all(user.is_active and user.is_approved_member for user in people.values()):
        raise PrivateRoomError("This member can't be messaged privately right now.")
    if opened_by.is_teen != other.is_teen:
        raise PrivateRoomError("Teen and adult members can't message each other privately.")
    if is_blocked_between(opened_by.pk, other.pk):
        raise PrivateRoomError("You can't start a private conversation with this member.")
    key = _pair_key(opened_by.pk, other.pk)
    existing = _open_room_of_pair(key)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            room = Room.objects.create(
                kind=Room.Kind.PRIVATE,
                name=PRIVATE_ROOM_NAME,
                # Unguessable: the address alone must not lead anyone to a conversation (they get 404 anyway).
                slug=f"p-{secrets.token_hex(12)}",
                audience=Audience.TEENS if opened_by.is_teen else Audience.ADULTS,
                pair_key=key,
                created_by=opened_by,
            )
            PrivateRoomMember.objects.bulk_create([PrivateRoomMember(room=room, user=user) for user in people.values()])
    except IntegrityError:
        # Opened by both at once (a double click, two tabs): the other request created it first.
        existing = _open_room_of_pair(key)
        if existing is None:
            raise
        return existing
    return room


def close_private_room(*, room: Room, actor: User | None) -> None:
    """End a private conversation: no new messages; its participants can still read it. Open sockets in it close
    with 4403 after commit (each re-checks its room). `actor` None: the system (a block). Closing twice is no
    error; the permission check (chat.permissions.check_close_private_room) is the caller's."""
    if not room.is_private:
        raise PrivateRoomError("Only a private conversation can be ended.")
    now = timezone.now()
    with transaction.atomic():
        closed = Room.objects.filter(pk=room.pk, closed_at__isnull=True).update(closed_at=now)
        if closed:
            fanout.recheck_room(room.pk)
    if closed:
        room.closed_at = now
    else:
        room.refresh_from_db(fields=["closed_at"])


def end_blocked_private_rooms(*, user_ids) -> int:
    """Close the open private rooms between any two of `user_ids` who now have a block between them ("Blocking
    ends the conversation at once"). Called after a block is committed; returns how many were closed."""
    ids = sorted(set(user_ids))
    if len(ids) < 2 or len(ids) > MAX_IDS_FOR_PAIRS:
        return 0
    keys = [_pair_key(a, b) for a, b in itertools.combinations(ids, 2)]
    ended = 0
    for room in Room.objects.filter(kind=Room.Kind.PRIVATE, pair_key__in=keys, closed_at__isnull=True):
        a_id, b_id = (int(part) for part in room.pair_key.split("-"))
        if is_blocked_between(a_id, b_id):
            close_private_room(room=room, actor=None)
            ended += 1
    return ended
