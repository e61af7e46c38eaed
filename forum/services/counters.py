"""Denormalised counters on topics and categories, refreshed explicitly by the services (never from save())."""

from ..models import Category, ContentState, Topic


def refresh_topic_stats(*, topic: Topic) -> None:
    """Recount replies and the latest visible post of `topic` (explicit, never from save())."""
    visible = topic.posts.filter(state=ContentState.VISIBLE)
    count = visible.count()
    last = visible.order_by("-position").select_related("author").first()
    topic.reply_count = max(0, count - 1)
    if last is not None:
        topic.last_post_at = last.created_at
        topic.last_poster = last.author
        topic.last_visible_position = last.position
    topic.save(update_fields=["reply_count", "last_post_at", "last_poster", "last_visible_position"])


def refresh_category_stats(*, category: Category) -> None:
    """Recount visible topics and find the latest active one."""
    visible = Topic.objects.filter(category=category, state=ContentState.VISIBLE)
    category.topic_count = visible.count()
    latest = visible.order_by("-last_post_at", "-pk").first()
    category.last_topic = latest
    category.last_post_at = latest.last_post_at if latest else None
    category.save(update_fields=["topic_count", "last_topic", "last_post_at"])
