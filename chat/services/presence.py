"""Who is here and who is typing (kept in the cache, chat.live), and closing a member's sockets."""

from members.models import User

from .. import fanout, live, protocol, selectors
from ..models import Room


def note_typing(*, user, room: Room) -> bool:
    """Tell the room someone is typing, at most once every few seconds per member; nothing is stored."""
    if not live.allow_typing(user, room):
        return False
    # A member who chose not to appear in "who is here" is not named while typing either (chat/protocol.py).
    # Read afresh (once per few seconds at most): the socket's user was loaded when it connected.
    if not selectors.visible_in_presence(user, fresh=True):
        return False
    fanout.broadcast(room.pk, {"type": "typing", "user": {"id": user.pk, "name": user.display_name}}, author_id=user.pk)
    return True


def _broadcast_presence(room: Room) -> None:
    fanout.broadcast(room.pk, {"type": "presence", "members": live.presence_members(room.pk)})


def enter_room(*, user, room: Room) -> bool:
    """Count a member in (and, if they chose to be visible, list them in) a room. Returns their visibility."""
    visible = selectors.visible_in_presence(user)
    if visible:
        live.presence_join(room.pk, user.pk, user.display_name)
        _broadcast_presence(room)
    return visible


def leave_room(*, user, room: Room, visible: bool) -> None:
    if visible:
        live.presence_leave(room.pk, user.pk)
        _broadcast_presence(room)


def set_presence_visibility(*, user, visible: bool) -> User:
    """The member's choice to appear in "who is here" lists (off until they turn it on).

    The setting is the member's own (User.show_presence, also edited on /me/). members.services is not chat's
    to change, and this is one field of the member's own row with no rule or audit of its own, so chat's toggle
    writes it directly rather than through a members service."""
    User.objects.filter(pk=user.pk).update(show_presence=visible)
    user.show_presence = visible
    return user


def close_member_sockets(*, user) -> None:
    """Close every chat socket `user` has open, in every process, with close code 4408.

    For sanctions: the caller (a moderation service) records the sanction and its audit row; the sockets close
    after that transaction commits, and a reconnect is then refused by the sanction itself.
    """
    fanout.send_to_user(user.pk, {"type": "chat.close", "code": protocol.CLOSE_SANCTIONED})
