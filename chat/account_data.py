"""Chat's part of a member's data export and of their account's erasure (members.account_data).

Imported once from ChatConfig.ready(), which registers it. Export: the member's own messages and how far they
read each room; a private conversation is named only as such (its name and the other person are not theirs).
Erasure: @mentions of them in others' messages are taken out; their read markers go and their private
conversations end; with `remove_content` their messages are emptied and marked removed (open pages drop them).
"""

from django.db.models import Q
from django.utils import timezone

from members.account_data import FORMER_MEMBER, register_account_data, without_mentions

from . import fanout, protocol, services
from .mentions import render_message
from .models import Message, PrivateRoomMember, ReadMarker, Room

PRIVATE = "A private conversation"
# Open pages are told of this many of the member's latest removed messages; older ones are long off screen, and a
# page that reconnects asks for every change since it last heard anyway.
LIVE_REMOVALS = 200


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _room_label(room: Room) -> str:
    return PRIVATE if room.is_private else room.name


def export_member_data(user) -> dict:
    messages = Message.objects.filter(author=user).select_related("room").order_by("created_at", "pk")
    return {
        "messages": [
            {
                "room": _room_label(m.room),
                "written_at": _iso(m.created_at),
                "edited_at": _iso(m.edited_at),
                "state": m.get_state_display(),
                "text": m.body,
            }
            for m in messages
        ],
        "read_up_to": [
            {"room": _room_label(r.room), "message_number": r.last_read_seq}
            for r in ReadMarker.objects.filter(user=user).select_related("room").order_by("pk")
        ],
    }


def _redact_others_messages(user) -> None:
    name = user.display_name
    named = Q()
    for variant in {name, name.replace(" ", "_")}:
        named |= Q(body__icontains=variant)
    for message in Message.objects.exclude(author=user).filter(named).select_related("room"):
        body = without_mentions(message.body, name, FORMER_MEMBER)
        if body != message.body:
            message.body = body
            message.html = render_message(body, message.room).html
            message.save(update_fields=["body", "html"])
            if message.is_visible:
                fanout.broadcast(message.room_id, protocol.edited_frame(message))


def _remove_own_messages(user) -> None:
    now = timezone.now()
    shown = list(
        Message.objects.filter(author=user, state=Message.State.VISIBLE).order_by("-created_at")[:LIVE_REMOVALS]
    )
    Message.objects.filter(author=user, removed_at__isnull=True).update(removed_at=now, removed_by=user)
    Message.objects.filter(author=user).update(body="", html="", state=Message.State.REMOVED, changed_at=now)
    for message in shown:
        fanout.broadcast(message.room_id, protocol.removed_frame(message))


def erase_member_data(user, remove_content: bool) -> None:
    _redact_others_messages(user)
    ReadMarker.objects.filter(user=user).delete()
    rooms = Room.objects.filter(
        kind=Room.Kind.PRIVATE,
        closed_at__isnull=True,
        pk__in=PrivateRoomMember.objects.filter(user=user).values("room_id"),
    )
    for room in rooms:
        services.close_private_room(room=room, actor=None)
    if remove_content:
        _remove_own_messages(user)


register_account_data("chat", export=export_member_data, erase=erase_member_data)
