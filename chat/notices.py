"""How chat notices read, decided when they are shown: registered with notifications in ChatConfig.ready().

A mention shows only while its reader may still enter the room (its audience may have changed; a private room
only for its participants) and the message is still there and not removed; the room's name is read now.
"""

from members.audience import audience_q
from notifications.registry import Shown

from .models import Message, Room
from .selectors import enterable_rooms_q


def resolve_message_notices(reader, notices) -> list[Shown | None]:
    """What `reader` may see of these notices about chat messages, in order (None: leave it out). One query."""
    rooms = Room.objects.filter(audience_q(reader, Room)).filter(enterable_rooms_q(reader))
    messages = {
        m.pk: m
        for m in Message.objects.filter(
            pk__in={n.target_id for n in notices}, state=Message.State.VISIBLE, room__in=rooms
        ).select_related("room")
    }
    shown: list[Shown | None] = []
    for notice in notices:
        message = messages.get(notice.target_id)
        if message is None:
            shown.append(None)
            continue
        who = notice.actor.display_name if notice.actor is not None else "Someone"
        shown.append(
            Shown(
                text=f"{who} mentioned you in the {message.room.name} chat room",
                url=f"{message.room.get_absolute_url()}#m-{message.pk}",
            )
        )
    return shown
