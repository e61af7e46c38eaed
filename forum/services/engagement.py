"""What members do around posts: reactions, bookmarks, subscriptions and read state."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Bookmark, Category, Post, Reaction, ReadState, Subscription, Topic
from .errors import ForumError
from .notices import announce_reaction


def add_reaction(*, post: Post, user, kind: str) -> bool:
    """Add one reaction; a second identical one changes nothing. Returns whether a row was added.

    The post's author hears of it (after commit, grouped: "3 members sent support to your post")."""
    if kind not in Reaction.Kind.values:
        raise ForumError("That reaction isn't one we offer.")
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=user, kind=kind)
    except IntegrityError:
        return False
    announce_reaction(post=post, actor=user)
    return True


def remove_reaction(*, post: Post, user, kind: str) -> bool:
    return Reaction.objects.filter(post=post, user=user, kind=kind).delete()[0] > 0


def add_bookmark(*, post: Post, user) -> None:
    Bookmark.objects.get_or_create(post=post, user=user)


def remove_bookmark(*, post: Post, user) -> None:
    Bookmark.objects.filter(post=post, user=user).delete()


def set_subscription(*, user, level: str, topic: Topic | None = None, category: Category | None = None) -> None:
    """Watch, follow normally or mute one topic or one category."""
    if level not in Subscription.Level.values:
        raise ForumError("Please choose watching, normal or muted.")
    target = {"topic": topic} if topic is not None else {"category": category}
    Subscription.objects.update_or_create(user=user, **target, defaults={"level": level, "updated_at": timezone.now()})


def mark_topic_read(*, user, topic: Topic, position: int, known: int | None) -> None:
    """Move the member's read marker forward to `position` (never back).

    `known` is the marker the caller already read (None: no row yet), so that a plain topic view costs at most
    one write and none when nothing new was seen.
    """
    if known is not None and known >= position:
        return
    _mark_read_to(user=user, topic=topic, position=position, known=known)


def _mark_read_to(*, user, topic: Topic, position: int, known: int | None = -1) -> None:
    now = timezone.now()
    if known is None:
        # No row yet: insert, or on a race with another tab, move the existing row forward.
        ReadState.objects.bulk_create(
            [ReadState(user=user, topic=topic, last_read_position=position, updated_at=now)],
            update_conflicts=True,
            unique_fields=["user", "topic"],
            update_fields=["last_read_position", "updated_at"],
        )
        return
    updated = ReadState.objects.filter(user=user, topic=topic, last_read_position__lt=position).update(
        last_read_position=position, updated_at=now
    )
    if not updated and known == -1:
        ReadState.objects.get_or_create(
            user=user, topic=topic, defaults={"last_read_position": position, "updated_at": now}
        )
