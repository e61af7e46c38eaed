"""Every state change in connections, split by concern: goals, the daily check-in, buddies and nudges, private
conversations (through chat), peer support. Callers import from `connections.services`."""

from .buddies import NUDGE_EVERY, accept_buddy_request, ask_buddy, decline_buddy_request, end_buddyship, send_nudge
from .checkins import (
    CheckedIn,
    checkin_author,
    checkin_title,
    mood_label,
    open_daily_checkin,
    open_daily_checkins,
    post_checkin,
)
from .conversations import close_conversation_if_unfounded, start_conversation
from .errors import AlreadyAnswered, ConnectionsError
from .goals import archive_goal, check_in_on_goal, create_goal, update_goal
from .support import (
    answer_support_request,
    close_support_request,
    grant_peer_supporter,
    request_support,
    revoke_peer_supporter,
    set_on_duty,
)

__all__ = [
    "NUDGE_EVERY",
    "AlreadyAnswered",
    "CheckedIn",
    "ConnectionsError",
    "accept_buddy_request",
    "answer_support_request",
    "archive_goal",
    "ask_buddy",
    "check_in_on_goal",
    "checkin_author",
    "checkin_title",
    "close_conversation_if_unfounded",
    "close_support_request",
    "create_goal",
    "decline_buddy_request",
    "end_buddyship",
    "grant_peer_supporter",
    "mood_label",
    "open_daily_checkin",
    "open_daily_checkins",
    "post_checkin",
    "request_support",
    "revoke_peer_supporter",
    "send_nudge",
    "set_on_duty",
    "start_conversation",
    "update_goal",
]
