"""How forum notices read, decided when they are shown: registered with notifications in ForumConfig.ready().

A notice about a post shows only while its reader may see that post's text: the topic is in a category of
their audience, and neither topic nor post is hidden, removed or someone else's held one (moderators see
those, as on the pages). Titles and category names are read now, so a renamed or moved topic reads as it is.
"""

from notifications.registry import Shown

from .models import Post
from .permissions import can_see_post_body, can_see_topic_state
from .selectors import visible_categories_for


def _text(notice, post: Post) -> str:
    who = notice.actor.display_name if notice.actor is not None else "Someone"
    title = post.topic.title
    if notice.kind == "forum_mention":
        return f"{who} mentioned you in “{title}”"
    if post.position == 1:
        return f"New topic in {post.topic.category.name}: “{title}”"
    return f"{who} replied to “{title}”"


def resolve_post_notices(reader, notices) -> list[Shown | None]:
    """What `reader` may see of these notices about posts, in order (None: leave it out). One query."""
    posts = Post.objects.filter(
        pk__in={n.target_id for n in notices}, topic__category__in=visible_categories_for(reader)
    ).select_related("topic__category")
    readable = {
        post.pk: post for post in posts if can_see_topic_state(reader, post.topic) and can_see_post_body(reader, post)
    }
    shown: list[Shown | None] = []
    for notice in notices:
        post = readable.get(notice.target_id)
        shown.append(None if post is None else Shown(text=_text(notice, post), url=post.get_absolute_url()))
    return shown
