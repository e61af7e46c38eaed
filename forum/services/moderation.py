"""Post and topic states (held, hidden, removed, visible), content warnings, lock, pin and move: the ground the
moderation app acts on through forum.moderation's adapter. Privileged changes write their audit row here."""

from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record_audit

from ..models import Category, ContentState, Post, Topic
from .cleaning import _clean_cw
from .counters import refresh_category_stats, refresh_topic_stats
from .notices import announce_new_post

HELD_REASON = "Awaiting review: a moderator will look at it soon."


def _set_post_state(*, post: Post, state: str, actor, reason: str, carry_topic: bool = True) -> Post:
    post.state = state
    post.state_changed_by = actor
    post.state_reason = reason or ""
    fields = ["state", "state_changed_by", "state_reason"]
    if state == ContentState.VISIBLE and post.published_at is None:
        post.published_at = timezone.now()
        fields.append("published_at")
    post.save(update_fields=fields)
    refresh_topic_stats(topic=post.topic)
    if post.position == 1 and carry_topic:
        # A moderator acting on the opening post acts on the topic: it leaves lists and search with it.
        _set_topic_state(topic=post.topic, state=state)
    refresh_category_stats(category=post.topic.category)
    return post


def _set_topic_state(*, topic: Topic, state: str) -> None:
    topic.state = state
    topic.save(update_fields=["state"])


@transaction.atomic
def remove_own_post(*, post: Post, actor) -> Post:
    """The author takes their post down; it shows "removed by the author" and stays stored.

    Removing one's opening post leaves the topic in place, so that others' replies are not lost with it.
    """
    return _set_post_state(
        post=post, state=ContentState.REMOVED, actor=actor, reason="Removed by the author.", carry_topic=False
    )


def _moderate_post(*, post: Post, state: str, actor, reason: str, action: str) -> Post:
    """A moderator's (or the system's) change of a post's state, with its audit row in the same transaction."""
    old_state = post.state
    _set_post_state(post=post, state=state, actor=actor, reason=reason)
    record_audit(actor=actor, action=action, target=post, reason=reason, changes={"state": (old_state, state)})
    return post


@transaction.atomic
def hide_post(*, post: Post, actor, reason: str) -> Post:
    """A moderator (or, with no actor, the system after several reports) hides a post from members; it is kept
    for review and appeal."""
    return _moderate_post(
        post=post, state=ContentState.HIDDEN, actor=actor, reason=reason, action=AuditAction.HIDE_POST
    )


@transaction.atomic
def remove_post(*, post: Post, actor, reason: str) -> Post:
    """A moderator removes a post; removal is never destruction."""
    return _moderate_post(
        post=post, state=ContentState.REMOVED, actor=actor, reason=reason, action=AuditAction.REMOVE_POST
    )


@transaction.atomic
def restore_post(*, post: Post, actor, reason: str) -> Post:
    """Make a held, hidden or removed post visible again.

    A post published for the first time now (it was held from the start) tells mentioned members and watchers
    now, as it would have when written; a post that was out before is not announced twice.
    """
    first_publication = post.published_at is None
    _moderate_post(post=post, state=ContentState.VISIBLE, actor=actor, reason=reason, action=AuditAction.RESTORE_POST)
    if first_publication:
        # The task reads the mentions from the text as it is then (nothing rendered here).
        announce_new_post(post=post, new_topic=post.position == 1)
    return post


@transaction.atomic
def set_content_warning(*, post: Post, actor, reason: str, warning: str) -> Post:
    """A moderator folds a post behind a content warning (or changes it; empty takes it away). A no-op writes
    nothing."""
    warning = _clean_cw(warning)
    old = post.content_warning
    if old == warning:
        return post
    post.content_warning = warning
    post.save(update_fields=["content_warning"])
    record_audit(
        actor=actor,
        action=AuditAction.CONTENT_WARNING,
        target=post,
        reason=reason,
        changes={"content_warning": (old, warning)},
    )
    return post


@transaction.atomic
def lock_topic(*, topic: Topic, actor, reason: str, locked: bool = True) -> Topic:
    """Close (or reopen) a topic to new replies."""
    topic.locked = locked
    topic.save(update_fields=["locked"])
    action = AuditAction.LOCK_TOPIC if locked else AuditAction.UNLOCK_TOPIC
    record_audit(actor=actor, action=action, target=topic, reason=reason)
    return topic


@transaction.atomic
def pin_topic(*, topic: Topic, actor, reason: str, pinned: bool = True) -> Topic:
    """Keep a topic at the top of its category (or let it go back in line)."""
    topic.pinned = pinned
    topic.save(update_fields=["pinned"])
    action = AuditAction.PIN_TOPIC if pinned else AuditAction.UNPIN_TOPIC
    record_audit(actor=actor, action=action, target=topic, reason=reason)
    return topic


@transaction.atomic
def move_topic(*, topic: Topic, to_category: Category, actor, reason: str) -> Topic:
    """Move a topic to another category; both categories' counters follow."""
    from_category = topic.category
    if from_category.pk == to_category.pk:
        return topic
    topic.category = to_category
    topic.save(update_fields=["category"])
    refresh_category_stats(category=from_category)
    refresh_category_stats(category=to_category)
    record_audit(
        actor=actor,
        action=AuditAction.MOVE_TOPIC,
        target=topic,
        reason=f"{from_category.name} -> {to_category.name}: {reason}",
        changes={"category": (from_category.name, to_category.name)},
    )
    return topic
