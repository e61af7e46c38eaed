"""Every state change in the forum. Views and forms call these; permission checks are made before.

Split by concern (STYLE: a file past ~300 lines becomes a package): posting (topics, replies, edits), moderation
(states, content warnings, lock, pin, move), engagement (reactions, bookmarks, subscriptions, read state),
categories (staff), notices (telling members of new posts), counters. Callers keep importing from
`forum.services`: every name they use is re-exported here.
"""

from .categories import create_category, update_category
from .counters import refresh_category_stats, refresh_topic_stats
from .engagement import (
    add_bookmark,
    add_reaction,
    mark_topic_read,
    remove_bookmark,
    remove_reaction,
    set_subscription,
)
from .errors import EditConflict, ForumError, TextRefused
from .moderation import (
    HELD_REASON,
    hide_post,
    lock_topic,
    move_topic,
    pin_topic,
    remove_own_post,
    remove_post,
    restore_post,
    set_content_warning,
)
from .posting import create_reply, create_topic, edit_post, is_in_first_posts

__all__ = [
    "HELD_REASON",
    "EditConflict",
    "ForumError",
    "TextRefused",
    "add_bookmark",
    "add_reaction",
    "create_category",
    "create_reply",
    "create_topic",
    "edit_post",
    "hide_post",
    "is_in_first_posts",
    "lock_topic",
    "mark_topic_read",
    "move_topic",
    "pin_topic",
    "refresh_category_stats",
    "refresh_topic_stats",
    "remove_bookmark",
    "remove_own_post",
    "remove_post",
    "remove_reaction",
    "restore_post",
    "set_content_warning",
    "set_subscription",
    "update_category",
]
