"""Every state change in chat. Views, the socket consumer and other apps call these; permission checks are made
before. Each stores first and broadcasts after commit (chat.fanout.broadcast uses on_commit).

Split by concern (STYLE: a file past ~300 lines becomes a package): messages (posting, editing, moderation
states, read markers, the retention purge), presence (who is here, typing, closing a member's sockets), rooms
(staff's rooms and moderators' mutes), private (private conversations for the connections app). Callers keep
importing from `chat.services`: every name they use is re-exported here.
"""

from ..protocol import ChatError
from .messages import (
    Edited,
    Posted,
    edit_message,
    flag_message,
    hide_message,
    mark_read,
    post_message,
    purge_expired_messages,
    remove_message,
    restore_message,
)
from .presence import close_member_sockets, enter_room, leave_room, note_typing, set_presence_visibility
from .private import (
    PRIVATE_ROOM_NAME,
    PrivateRoomError,
    close_private_room,
    end_blocked_private_rooms,
    open_private_room,
)
from .rooms import lift_mute, mute_member, save_room

__all__ = [
    "PRIVATE_ROOM_NAME",
    "ChatError",
    "Edited",
    "Posted",
    "PrivateRoomError",
    "close_member_sockets",
    "close_private_room",
    "edit_message",
    "end_blocked_private_rooms",
    "enter_room",
    "flag_message",
    "hide_message",
    "leave_room",
    "lift_mute",
    "mark_read",
    "mute_member",
    "note_typing",
    "open_private_room",
    "post_message",
    "purge_expired_messages",
    "remove_message",
    "restore_message",
    "save_room",
    "set_presence_visibility",
]
