"""Member-facing reads of chat: every query applies the room's audience and hides messages that are not visible
(held, hidden, removed), except a reader's own held ones."""

from datetime import datetime

from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from members.audience import audience_q
from members.models import User

from .models import ChatPreference, Message, ReadMarker, Room, RoomMute

PAGE_SIZE = 50


def rooms_for(user) -> QuerySet[Room]:
    """The rooms `user` may enter, each with `unread` (messages after their read marker)."""
    marker = ReadMarker.objects.filter(room=OuterRef("pk"), user=user).values("last_read_seq")[:1]
    return (
        Room.objects.filter(audience_q(user, Room))
        .annotate(
            read_seq=Coalesce(Subquery(marker, output_field=IntegerField()), Value(0)),
            unread=Greatest(F("last_seq") - F("read_seq"), Value(0)),
        )
        .order_by("name")
    )


def room_for(user, slug: str) -> Room:
    """One room by slug, or 404 when it does not exist or `user` is outside its audience."""
    return get_object_or_404(Room.objects.filter(audience_q(user, Room)), slug=slug)


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


def active_mute(*, user, room: Room) -> RoomMute | None:
    return RoomMute.objects.filter(room=room, member=user, until__gt=timezone.now()).order_by("-until").first()


def active_mutes(room: Room) -> QuerySet[RoomMute]:
    return RoomMute.objects.filter(room=room, until__gt=timezone.now()).select_related("member")


def visible_in_presence(user) -> bool:
    return ChatPreference.objects.filter(user=user, visible_in_presence=True).exists()


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
    return Room.objects.prefetch_related("programme_groups").order_by("name")
