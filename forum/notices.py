"""How forum notices read, decided when they are shown: registered with notifications in ForumConfig.ready().

A notice about a post shows only while its reader may see that post's text: the topic is in a category of
their audience, neither topic nor post is hidden, removed or someone else's held one (moderators see
those, as on the pages), and no block stands between the reader and the post's author (a notice made before the
block goes quiet with it). Titles and category names are read now, so a renamed or moved topic reads as it is.
"""

from members.audience import Audience, in_audience
from members.models import ProgrammeMembership
from members.selectors import load_roles
from notifications.registry import Shown, register_visibility_check

from .models import Post
from .permissions import can_see_post_body, can_see_post_state, can_see_topic_state
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
    """What `reader` may see of these notices about posts, in order (None: leave it out). One query, and the
    reader's blocks (once per request) when there is a post to show."""
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


# --- when notices are made -------------------------------------------------------------------------------------


def readers_of_post(post_id: int, recipients) -> list[int]:
    """For notifications (registered below): the ids of `recipients` who may read the post now, in a fixed
    number of queries whatever their number: the post, the roles, and the programme-group memberships when its
    category is for some groups only. The same rules as the pages (audience, topic and post state); blocks with
    the notice's actor are the notifications' own recipient filter (members registers it).
    """
    post = Post.objects.select_related("topic__category").filter(pk=post_id).first()
    if post is None or not recipients:
        return []
    category = post.topic.category
    load_roles(recipients)
    in_groups: set[int] = set()
    if category.audience == Audience.GROUPS:
        in_groups = set(
            ProgrammeMembership.objects.filter(
                user_id__in=[r.pk for r in recipients], group_id__in=category.programme_groups.values("pk")
            ).values_list("user_id", flat=True)
        )
    readers = []
    for reader in recipients:
        plain_adult = reader.is_approved_member and not reader.is_moderator and not reader.is_teen
        if category.audience == Audience.GROUPS and plain_adult:
            # in_audience's rule for a plain adult member, answered from the memberships read above (it would
            # ask once per member).
            allowed = reader.pk in in_groups
        else:
            allowed = in_audience(reader, category)  # no query for these (roles are loaded)
        if allowed and can_see_topic_state(reader, post.topic) and can_see_post_state(reader, post):
            readers.append(reader.pk)
    return readers


# The forum's fan-out (forum.services.notices) reaches hundreds of watchers per task; without this check each new
# notice would be checked with the resolver above, a query per recipient. Registered when this module is loaded,
# which ForumConfig.ready() does (it imports the resolver from here).
register_visibility_check("forum.post", readers_of_post)
