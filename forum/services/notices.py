"""Telling members about new posts: the members a post mentions, then the watchers of its topic (a reply) or of
its category (a new topic).

None of it runs in the request that writes the post. The posting services only ask for it (`announce_*`): once
their transaction commits, a task is queued with ids only (task arguments are JSON, and the post is read afresh:
one taken down meanwhile tells no one). So the request does the same small work for a topic with two watchers
as for one with two thousand, and holds the topic's row lock no longer for it. The task tells the mentioned
members, lists the watchers in one query, and queues one task per WATCHERS_PER_CHUNK of them; each chunk loads
its members, leaves out anyone in a block with the author, and writes its notices in one bulk insert, in a fixed
number of queries. A chunk that fails is retried on its own (forum.tasks), and a retried chunk does not tell
anyone twice.
"""

from members.blocking import ids_blocked_between
from members.mentions import mentions_that_notify
from members.models import User
from members.tasks import enqueue_after_commit
from notifications.models import Notification
from notifications.registry import target_key
from notifications.services import notify_many, notify_reaction

from ..markup import render_post
from ..models import ContentState, Post, Subscription, Topic

WATCHERS_PER_CHUNK = 500
MENTION_KIND = "forum_mention"
# New topics (to category watchers) and replies (to topic watchers) share a kind: both say "new post to read".
REPLY_KIND = "forum_reply"
REACTION_KIND = "forum_reaction"


# --- in the request: ask for it, after commit --------------------------------------------------------------------


def announce_new_post(*, post: Post, new_topic: bool) -> None:
    """Once the caller's transaction commits, tell the members `post` mentions and the watchers (no query now).

    `post._mentioned`, when the post was just rendered, holds the members its text mentions; without it the
    task reads them from the text (a held post approved later)."""
    from .. import tasks  # the tasks call back into this module

    mentioned = getattr(post, "_mentioned", None)
    mentioned = None if mentioned is None else [user.pk for user in mentioned]
    enqueue_after_commit(tasks.announce_post, post_id=post.pk, new_topic=new_topic, mentioned_ids=mentioned)


def announce_new_mentions(*, post: Post, users) -> None:
    """Once the caller's transaction commits, tell `users` (newly mentioned by an edit) of `post`."""
    from .. import tasks

    if users:
        enqueue_after_commit(tasks.tell_mentioned, post_id=post.pk, user_ids=[user.pk for user in users])


def announce_reaction(*, post: Post, actor) -> None:
    """Once the caller's transaction commits (at once outside one), tell the post's author of a new reaction."""
    from .. import tasks

    if post.author_id != actor.pk:
        enqueue_after_commit(tasks.tell_reaction, post_id=post.pk, actor_id=actor.pk)


# --- in the tasks ------------------------------------------------------------------------------------------------


def published_post(post_id: int) -> Post | None:
    """The post with what its notices need, or None once it is no longer published."""
    return (
        Post.objects.select_related("topic__category", "author").filter(pk=post_id, state=ContentState.VISIBLE).first()
    )


def mentioned_ids(post: Post) -> list[int]:
    """The members the post's text mentions now (those who may see its category)."""
    return [user.pk for user in render_post(post.body, post.topic.category).mentioned]


def _members(user_ids) -> list[User]:
    """Members who can still be told anything (left, not yet approved or unverified: no)."""
    return list(
        User.objects.filter(pk__in=list(user_ids), is_active=True, approved_at__isnull=False, email_verified=True)
    )


def _levels_for(*, topic: Topic, user_ids) -> dict[int, str]:
    """Each member's effective level for `topic`: the topic's own setting, else the category's."""
    levels: dict[int, str] = {}
    for sub in Subscription.objects.filter(category=topic.category_id, user_id__in=user_ids):
        levels[sub.user_id] = sub.level
    for sub in Subscription.objects.filter(topic=topic, user_id__in=user_ids):
        levels[sub.user_id] = sub.level
    return levels


def _already_told(*, post: Post, kind: str, user_ids) -> set[int]:
    """Members who have a notice of this kind about `post`: a retried task, or an edit that mentions again."""
    return set(
        Notification.objects.filter(
            kind=kind, target_type=target_key(post), target_id=post.pk, recipient_id__in=list(user_ids)
        ).values_list("recipient_id", flat=True)
    )


def tell_mentioned(*, post: Post, user_ids) -> set[int]:
    """Tell the members `post` mentions (at most forum.markup.MAX_MENTIONS); returns the ids told.

    Left out: the author, anyone in a block with them either way, anyone who chose to be mentioned by nobody
    (unless the author moderates: members.mentions), anyone who muted the topic or its category, and anyone
    already told. Whether each may see the post is decided by notifications (the forum's visibility check).
    """
    users = mentions_that_notify(author=post.author, users=_members(user_ids))
    if not users:
        return set()
    ids = [user.pk for user in users]
    skip = ids_blocked_between(post.author_id, ids) | _already_told(post=post, kind=MENTION_KIND, user_ids=ids)
    levels = _levels_for(topic=post.topic, user_ids=ids)
    users = [u for u in users if u.pk not in skip and levels.get(u.pk) != Subscription.Level.MUTED]
    notify_many(
        recipients=users,
        kind=MENTION_KIND,
        text=f"{post.author.display_name} mentioned you in “{post.topic.title}”",
        url=post.get_absolute_url(),
        actor=post.author,
        target=post,
    )
    return {user.pk for user in users}


def watcher_ids(*, post: Post, new_topic: bool, leave_out=()) -> list[int]:
    """Who watches where `post` appeared: its category for a new topic, its topic for a reply. One query.

    A topic's own level beats its category's, and a topic has one row per member, so a reply's watchers are
    exactly the members watching the topic (one who muted it has no watching row)."""
    if new_topic:
        subs = Subscription.objects.filter(category_id=post.topic.category_id, level=Subscription.Level.WATCHING)
    else:
        subs = Subscription.objects.filter(topic_id=post.topic_id, level=Subscription.Level.WATCHING)
    subs = subs.exclude(user_id=post.author_id)
    leave_out = set(leave_out)
    return [uid for uid in subs.order_by("user_id").values_list("user_id", flat=True) if uid not in leave_out]


def chunked(ids: list[int]) -> list[list[int]]:
    """`ids` in runs of WATCHERS_PER_CHUNK, one task each."""
    return [ids[start : start + WATCHERS_PER_CHUNK] for start in range(0, len(ids), WATCHERS_PER_CHUNK)]


def tell_watchers(*, post: Post, new_topic: bool, user_ids) -> int:
    """Tell one chunk of watchers of the new post; returns how many were told. A fixed number of queries
    whatever the chunk's size: its members, blocks with the author, who was told already, and one bulk insert
    (which also asks, in bulk, who may see the post: someone may have left its programme group since)."""
    users = _members(user_ids)
    if not users:
        return 0
    ids = [user.pk for user in users]
    skip = ids_blocked_between(post.author_id, ids) | _already_told(post=post, kind=REPLY_KIND, user_ids=ids)
    users = [user for user in users if user.pk not in skip]
    topic = post.topic
    if new_topic:
        text = f"New topic in {topic.category.name}: “{topic.title}”"
    else:
        text = f"{post.author.display_name} replied to “{topic.title}”"
    return notify_many(
        recipients=users, kind=REPLY_KIND, text=text, url=post.get_absolute_url(), actor=post.author, target=post
    )


def tell_reaction(*, post: Post, actor_id: int) -> bool:
    """Count a member's reaction on the author's one unread notice about reactions to `post` (notifications
    groups them and never names who reacted). Nobody in a block with the author, either way, is counted, and
    the author hears nothing while the post is not theirs to read. Returns whether a notice counts it."""
    members = {user.pk: user for user in _members([post.author_id, actor_id])}
    author, actor = members.get(post.author_id), members.get(actor_id)
    if author is None or actor is None or author.pk == actor.pk:
        return False
    if ids_blocked_between(author.pk, [actor.pk]):
        return False
    notice = notify_reaction(
        recipient=author, actor=actor, target=post, url=post.get_absolute_url(), kind=REACTION_KIND
    )
    return notice is not None
