"""Member-facing reads of chat: every query applies the room's audience and hides messages that are not visible
(held, hidden, removed), except a reader's own held ones. Private rooms are reached only by their participants;
messages of members in a block with the reader are shown collapsed (`BlockView`)."""

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import CharField, DateTimeField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils import timezone

from members.audience import audience_q, in_audience
from members.models import Block, User

from . import protocol
from .models import Message, PrivateRoomMember, ReadMarker, Room, RoomMute

PAGE_SIZE = 50


def _unread(user) -> dict:
    marker = ReadMarker.objects.filter(room=OuterRef("pk"), user=user).values("last_read_seq")[:1]
    return {
        "read_seq": Coalesce(Subquery(marker, output_field=IntegerField()), Value(0)),
        "unread": Greatest(F("last_seq") - F("read_seq"), Value(0)),
    }


def rooms_for(user) -> QuerySet[Room]:
    """The rooms `user` may enter, each with `unread` (messages after their read marker). Private rooms are never
    listed here (private_rooms_for lists a member's own)."""
    return Room.objects.filter(audience_q(user, Room), kind=Room.Kind.ROOM).annotate(**_unread(user)).order_by("name")


def _participating_q(user, prefix: str = "") -> Q:
    """Rooms `user` takes part in as a current participant of a private room (always none for anonymous)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    mine = PrivateRoomMember.objects.filter(user_id=user.pk, left_at__isnull=True).values("room_id")
    return Q(**{f"{prefix}pk__in": mine})


def enterable_rooms_q(user, prefix: str = "") -> Q:
    """Rooms `user` may open: public rooms of their audience, and private rooms they take part in (whatever their
    role: moderators do not browse private conversations; they see only what a report shows)."""
    public = Q(**{f"{prefix}kind": Room.Kind.ROOM})
    private = Q(**{f"{prefix}kind": Room.Kind.PRIVATE}) & _participating_q(user, prefix)
    return public | private


def room_for(user, slug: str) -> Room:
    """One room by slug, or 404 when it does not exist, `user` is outside its audience, or it is a private room
    they do not take part in (the rules of `audience_q` and `enterable_rooms_q`, decided for this one room).

    Read by its slug alone and decided here rather than filtered with both rules as subqueries: building that
    query was a third of the server's CPU for each chat socket that connects (docs/PERFORMANCE.md), and 1,000
    pages reconnect at once after a restart."""
    room = next(iter(Room.objects.filter(slug=slug)[:1]), None)  # unique slug: no ORDER BY to build
    if room is None or not in_audience(user, room):
        raise Http404("No such room.")
    if room.kind == Room.Kind.PRIVATE and not is_private_participant(user, room):
        raise Http404("No such room.")
    return room


def is_private_participant(user, room: Room) -> bool:
    """Whether `user` is a current participant of the private room `room` (False for any other room)."""
    if not room.is_private or not getattr(user, "is_authenticated", False):
        return False
    return PrivateRoomMember.objects.filter(room=room, user_id=user.pk, left_at__isnull=True).exists()


def private_rooms_for(user) -> QuerySet[Room]:
    """The private rooms `user` takes part in, open and closed (`closed_at`), most recent activity first.

    Each carries `other_id` and `other_name` (the other participant), `last_seq`, `unread` and
    `last_message_at` (None before the first message); a constant number of queries however many rooms.
    """
    others = PrivateRoomMember.objects.filter(room=OuterRef("pk")).exclude(user_id=user.pk).order_by("joined_at")
    last_message = Message.objects.filter(room=OuterRef("pk")).order_by("-seq").values("created_at")[:1]
    return (
        Room.objects.filter(kind=Room.Kind.PRIVATE)
        .filter(_participating_q(user))
        .annotate(
            other_id=Subquery(others.values("user_id")[:1], output_field=IntegerField()),
            other_name=Subquery(others.values("user__display_name")[:1], output_field=CharField()),
            last_message_at=Subquery(last_message, output_field=DateTimeField()),
            **_unread(user),
        )
        .order_by(Coalesce("last_message_at", "created_at").desc(), "-pk")
    )


def other_participant(room: Room, user) -> User | None:
    """The other participant of a private room, as `user` sees it."""
    member = room.private_members.exclude(user_id=user.pk).select_related("user").order_by("joined_at").first()
    return member.user if member is not None else None


def participant_ids(room: Room) -> list[int]:
    """The current participants of a private room."""
    return list(room.private_members.filter(left_at__isnull=True).values_list("user_id", flat=True))


@dataclass(frozen=True)
class BlockView:
    """What a reader must not see of others: `hidden` are the members in a block with them either way,
    `blocked_by_me` those the reader blocked (the kinder wording of a collapsed message needs the difference)."""

    hidden: frozenset[int] = frozenset()
    blocked_by_me: frozenset[int] = field(default_factory=frozenset)

    def hides(self, author_id) -> bool:
        return author_id in self.hidden


def block_view(user) -> BlockView:
    """The reader's blocks, both ways, in one query (members.blocking has each direction on its own; a page or a
    socket needs both at once, and asks once)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return BlockView()
    pairs = list(
        Block.objects.filter(Q(blocker_id=user.pk) | Q(blocked_id=user.pk)).values_list("blocker_id", "blocked_id")
    )
    hidden = frozenset(a if b == user.pk else b for a, b in pairs)
    mine = frozenset(b for a, b in pairs if a == user.pk)
    return BlockView(hidden=hidden, blocked_by_me=mine)


def _visible(room: Room, viewer=None) -> QuerySet[Message]:
    """Visible messages; held, hidden and removed ones are left out, except that `viewer` (the reader) sees
    their own messages awaiting review (marked so), so that what they wrote does not seem lost."""
    shown = Q(state=Message.State.VISIBLE)
    if viewer is not None and viewer.is_authenticated:
        shown |= Q(state=Message.State.HELD, author_id=viewer.pk)
    return Message.objects.filter(shown, room=room).select_related("author")


def latest_messages(
    room: Room, *, before_seq: int | None = None, limit: int = PAGE_SIZE, viewer=None
) -> tuple[list, bool]:
    """Up to `limit` visible messages before `before_seq` (or the newest), oldest first, and whether more exist."""
    qs = _visible(room, viewer)
    if before_seq is not None:
        qs = qs.filter(seq__lt=before_seq)
    rows = list(qs.order_by("-seq")[: limit + 1])
    has_more = len(rows) > limit
    return list(reversed(rows[:limit])), has_more


def messages_after(room: Room, *, after_seq: int, upto_seq: int, limit: int, viewer=None) -> list[Message]:
    return list(_visible(room, viewer).filter(seq__gt=after_seq, seq__lte=upto_seq).order_by("seq")[:limit])


# Catch-up frames shared by the sockets of this process that catch up on the same stretch of a room at about the
# same moment (after a restart or a network blip, hundreds ask for the same seqs at once): read and encoded once.
SHARED_CATCH_UP_SECONDS = 2.0
SHARED_CATCH_UP_ENTRIES = 32
_shared_lock = threading.Lock()
_shared: dict[tuple[int, int, int], tuple[float, list]] = {}
_shared_changes: dict[int, int] = {}  # per room, how many times its shared frames were forgotten


@dataclass(frozen=True)
class SharedMessage:
    """A message caught up on, with its `message` frame as any reader but its author sees it, encoded once."""

    message: Message
    text: str


def shared_messages_after(room: Room, *, after_seq: int, upto_seq: int, limit: int) -> list[SharedMessage] | None:
    """The visible and held messages in (after_seq, upto_seq] for every reader alike, or None when there are
    `limit` or more (the caller then reads the reader's own page, messages_after). Each reader must still be
    shown only what is theirs to see: held messages only to their author, collapsed authors per reader.

    Kept a moment (SHARED_CATCH_UP_SECONDS) and forgotten at once when this process's hub relays a change to a
    message in the stretch (forget_shared_catch_up), so that a removal never reaches a reader from here."""
    from .fanout import encode  # fanout loads with the app's neighbours; keep the import lazy

    key = (room.pk, after_seq, upto_seq)
    now = time.monotonic()
    with _shared_lock:
        found = _shared.get(key)
        changes = _shared_changes.get(room.pk, 0)
    if found is not None and now - found[0] < SHARED_CATCH_UP_SECONDS:
        return found[1]
    rows = list(
        Message.objects.filter(
            room=room, seq__gt=after_seq, seq__lte=upto_seq, state__in=(Message.State.VISIBLE, Message.State.HELD)
        )
        .select_related("author")
        .order_by("seq")[:limit]
    )
    if len(rows) >= limit:
        return None
    shared = [SharedMessage(message=m, text=encode(protocol.message_frame(m))) for m in rows]
    with _shared_lock:
        if _shared_changes.get(room.pk, 0) != changes:
            return shared  # a message changed while these were read: good for this reader only, as any read is
        for old in [k for k, (at, _) in _shared.items() if now - at >= SHARED_CATCH_UP_SECONDS]:
            del _shared[old]
        if len(_shared) >= SHARED_CATCH_UP_ENTRIES:
            _shared.pop(next(iter(_shared)))
        _shared[key] = (now, shared)
    return shared


def forget_shared_catch_up(room_id: int, seq: int | None = None) -> None:
    """A message of the room changed (edited, removed, hidden, restored): shared catch-up frames that hold its seq
    (any seq when None) are read afresh next time."""
    with _shared_lock:
        _shared_changes[room_id] = _shared_changes.get(room_id, 0) + 1
        for key in [k for k in _shared if k[0] == room_id and (seq is None or k[1] < seq <= k[2])]:
            del _shared[key]


def changed_messages(room: Room, *, since: datetime, upto_seq: int) -> list[Message]:
    """Messages up to `upto_seq` edited or removed after `since`: a reconnecting client replays these."""
    return list(
        Message.objects.filter(room=room, seq__lte=upto_seq, changed_at__gt=since)
        .select_related("author")
        .order_by("seq")[:500]
    )


def current_seq(room: Room) -> int:
    return Room.objects.filter(pk=room.pk).values_list("last_seq", flat=True).get()


def message_in_room(room: Room, message_id: int) -> Message | None:
    return Message.objects.filter(room=room, pk=message_id).select_related("author", "room").first()


def sent_message(*, room: Room, author, client_id: str) -> Message | None:
    """The message `author` already sent in `room` under this client_id (a resend after a reconnect), if any."""
    if not client_id:
        return None
    return Message.objects.filter(room=room, author=author, client_id=client_id).select_related("author").first()


def posting_state(user, room: Room) -> tuple:
    """What decides whether `user` may write in `room`, as it is now, in one query (read before each message and
    edit on a socket, so that a sanction or mute decided a moment ago applies to that very frame): the member's
    site-wide restriction (User.restriction, restricted_until, read_only_until), then when their mute in this
    room ends (None: not muted), which permissions.check_post takes as `mute_until`.

    Written out rather than built by the ORM: with its subquery the ORM's building of it cost a quarter of the CPU
    of a `send` (docs/PERFORMANCE.md). Values come back through the same converters the ORM applies."""
    quote = connection.ops.quote_name
    users, mutes = User._meta, RoomMute._meta
    restriction, restricted_until, read_only_until = (
        users.get_field(name) for name in ("restriction", "restricted_until", "read_only_until")
    )
    mute_until = mutes.get_field("until")

    def col(field) -> str:
        return quote(field.column)

    sql = (
        f"SELECT u.{col(restriction)}, u.{col(restricted_until)}, u.{col(read_only_until)}, "
        f"(SELECT MAX(m.{col(mute_until)}) FROM {quote(mutes.db_table)} m "
        f"WHERE m.{col(mutes.get_field('room'))} = %s AND m.{col(mutes.get_field('member'))} = u.{col(users.pk)} "
        f"AND m.{col(mute_until)} > %s) "
        f"FROM {quote(users.db_table)} u WHERE u.{col(users.pk)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [room.pk, connection.ops.adapt_datetimefield_value(timezone.now()), user.pk])
        row = cursor.fetchone()
    if row is None:
        raise User.DoesNotExist("The member is gone.")
    return tuple(
        _from_db(field, value)
        for field, value in zip((restriction, restricted_until, read_only_until, mute_until), row, strict=True)
    )


def _from_db(field, value):
    """`value` as read by a cursor, converted as the ORM converts a column of `field`."""
    column = field.get_col(field.model._meta.db_table)
    for converter in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
        value = converter(value, column, connection)
    return value


def active_mute(*, user, room: Room) -> RoomMute | None:
    return RoomMute.objects.filter(room=room, member=user, until__gt=timezone.now()).order_by("-until").first()


def active_mutes(room: Room) -> QuerySet[RoomMute]:
    return RoomMute.objects.filter(room=room, until__gt=timezone.now()).select_related("member")


def collapse_hidden(messages: list[Message], *, reader) -> list[Message]:
    """Mark the messages of members in a block with `reader`, either way, to be shown as one short line in their
    place (`collapsed_note`, chat/message_collapsed.html); one query."""
    blocks = block_view(reader)
    for message in messages:
        if blocks.hides(message.author_id):
            message.collapsed_note = protocol.collapsed_note(blocked_by_you=message.author_id in blocks.blocked_by_me)
    return messages


def visible_in_presence(user, *, fresh: bool = False) -> bool:
    """The member's choice to appear in "Here now" lists (members.User.show_presence, set on /me/).

    Read from the user row already loaded, except `fresh`: a socket's user was loaded when it connected, and a
    member who changes the setting meanwhile expects their next keystroke to follow it."""
    if fresh:
        return User.objects.filter(pk=user.pk, show_presence=True).exists()
    return bool(user.show_presence)


def recent_authors(room: Room, *, exclude_user) -> QuerySet[User]:
    """Members who wrote recently, for the moderators' mute form."""
    ids = (
        Message.objects.filter(room=room)
        .exclude(author=exclude_user)
        .order_by("-seq")
        .values_list("author_id", flat=True)[:200]
    )
    return User.objects.filter(pk__in=list(set(ids))).order_by("display_name")


def read_seq(*, user, room: Room) -> int:
    return ReadMarker.objects.filter(user=user, room=room).values_list("last_read_seq", flat=True).first() or 0


def rooms_for_staff() -> QuerySet[Room]:
    """Rooms staff manage: private conversations are not theirs to see or change."""
    return Room.objects.filter(kind=Room.Kind.ROOM).prefetch_related("programme_groups").order_by("name")
