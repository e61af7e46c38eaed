"""Rooms as staff set them up, and moderators' mutes in them."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record_audit
from members.models import User

from .. import fanout
from ..models import Room, RoomMute


def mute_member(*, room: Room, member: User, actor, minutes: int, reason: str) -> RoomMute:
    """Make `member` read-only in `room` for `minutes`; applies at once, also to their open sockets."""
    with transaction.atomic():
        mute = RoomMute.objects.create(
            room=room, member=member, until=timezone.now() + timedelta(minutes=minutes), reason=reason, actor=actor
        )
        record_audit(actor=actor, action=AuditAction.CHAT_MUTE, target=member, reason=f"{room.name}: {reason}")
    return mute


def lift_mute(*, mute: RoomMute, actor, reason: str = "") -> RoomMute:
    with transaction.atomic():
        mute.until = timezone.now()
        mute.save(update_fields=["until"])
        record_audit(
            actor=actor, action=AuditAction.CHAT_UNMUTE, target=mute.member, reason=f"{mute.room.name}: {reason}"
        )
    return mute


def save_room(*, actor, room: Room | None, fields: dict, programme_groups) -> Room:
    """Create or change a room (staff). Audited."""
    creating = room is None
    with transaction.atomic():
        if creating:
            room = Room(created_by=actor)
        for name, value in fields.items():
            setattr(room, name, value)
        room.save()
        room.programme_groups.set(programme_groups)
        record_audit(
            actor=actor, action=AuditAction.CHAT_CREATE_ROOM if creating else AuditAction.CHAT_UPDATE_ROOM, target=room
        )
        if not creating:
            # The audience may have narrowed: open sockets re-check their member now, not at their next connect.
            fanout.recheck_room(room.pk)
    return room
