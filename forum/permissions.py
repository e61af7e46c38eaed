"""Who may do what in the forum. Services assume these checks were made.

Seeing: outside a category's audience, or a topic/post that is not shown to this member, is a 404 (existence
stays hidden). Acting on something one can see but may not change is a PermissionDenied with a plain reason.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from members.audience import in_audience
from members.blocking import hidden_member_ids
from members.permissions import can_moderate

from .models import Category, ContentState, Post, Topic


def can_see_category(user, category: Category) -> bool:
    return in_audience(user, category)


def check_see_category(user, category: Category) -> None:
    """Outside the audience, the category does not exist."""
    if not can_see_category(user, category):
        raise Http404("No such category.")


def can_see_topic_state(user, topic: Topic) -> bool:
    """Visible topics; moderators see every state (audience checked apart). Its author still sees a held, hidden
    or removed topic of theirs, where the moderator's reason and the way to appeal are shown."""
    if topic.state == ContentState.VISIBLE or can_moderate(user):
        return True
    return topic.author_id == user.pk


def can_see_topic(user, topic: Topic) -> bool:
    return in_audience(user, topic.category) and can_see_topic_state(user, topic)


def check_see_topic(user, topic: Topic, *, audience_checked: bool = False) -> None:
    """`audience_checked`: the caller loaded the topic through an audience filter already (one query less)."""
    if not (can_see_topic_state(user, topic) if audience_checked else can_see_topic(user, topic)):
        raise Http404("No such topic.")


def hidden_authors(user) -> frozenset[int]:
    """Members in a block with `user`, either way: their posts are shown to `user` only as a short line.

    One query per request, kept on the user object (request.user is loaded afresh for every request), so that a
    page, its permission twins and its selectors all ask once. Moderators are no exception: a moderator who
    blocked someone leaves that member's posts to the other moderators (the review queue still shows them).
    """
    try:
        return user._hidden_member_ids
    except AttributeError:
        hidden = hidden_member_ids(user)
        if user.is_authenticated:
            user._hidden_member_ids = hidden
        return hidden


def is_hidden_by_block(user, post: Post) -> bool:
    return post.author_id in hidden_authors(user)


def can_see_post_state(user, post: Post) -> bool:
    """Whether the post's state lets `user` read it: visible, or their own held post; moderators read every
    state. Blocks apart (`can_see_post_body` adds them)."""
    if post.state == ContentState.VISIBLE or can_moderate(user):
        return True
    return post.state == ContentState.HELD and post.author_id == user.pk


def can_see_post_body(user, post: Post) -> bool:
    """Whether the text is shown, not only a placeholder ("removed by the author", "hidden because of a block")."""
    return not is_hidden_by_block(user, post) and can_see_post_state(user, post)


def check_see_post(user, post: Post, *, audience_checked: bool = False) -> None:
    """A post is reachable (permalink, quote, reaction, bookmark, report) when its topic is, it is not someone
    else's held post, and no block stands between its author and `user` (then, as for any post one may not
    reach, it does not exist: neither learns more than the collapsed line on the topic page says)."""
    check_see_topic(user, post.topic, audience_checked=audience_checked)
    if post.state == ContentState.HELD and not (post.author_id == user.pk or can_moderate(user)):
        raise Http404("No such post.")
    if is_hidden_by_block(user, post):
        raise Http404("No such post.")


READ_ONLY_MESSAGE = (
    "Your account is read-only for the moment, so you can read everything here but not post, reply, edit or "
    "react. You can see why, and until when, on your account standing page (/my-standing/), and ask for "
    "another look there."
)


def check_not_read_only(user) -> None:
    """A muted, suspended or banned member may read but not write (the sanction is read on the user, no query)."""
    if getattr(user, "is_read_only", False):
        raise PermissionDenied(READ_ONLY_MESSAGE)


def can_write(user) -> bool:
    return not getattr(user, "is_read_only", False)


def _check_can_write_in(user, category: Category) -> None:
    check_not_read_only(user)
    if category.locked and not can_moderate(user):
        raise PermissionDenied("This category is locked, so new topics and replies are closed.")


def check_start_topic(user, category: Category) -> None:
    """A member who can see the category may start a topic there, unless it is locked or they are read-only."""
    check_see_category(user, category)
    _check_can_write_in(user, category)


def can_start_topic(user, category: Category) -> bool:
    return can_write(user) and (not category.locked or can_moderate(user))


def check_reply(user, topic: Topic) -> None:
    """Replies need a visible, unlocked topic in an unlocked category (moderators may still reply), and a member
    who is not read-only."""
    check_see_topic(user, topic)
    check_not_read_only(user)
    if topic.state != ContentState.VISIBLE and not can_moderate(user):
        raise PermissionDenied("This topic is waiting for review, so replies are not open yet.")
    if topic.locked and not can_moderate(user):
        raise PermissionDenied("This topic is locked, so new replies are closed.")
    _check_can_write_in(user, topic.category)


def can_reply(user, topic: Topic) -> bool:
    if not can_write(user):
        return False
    if can_moderate(user):
        return True
    return topic.state == ContentState.VISIBLE and not topic.locked and not topic.category.locked


def check_edit_post(user, post: Post) -> None:
    """Only the author edits their post, and only while it is not hidden or removed."""
    check_see_post(user, post)
    if post.author_id != user.pk:
        raise PermissionDenied("You can only edit your own posts.")
    check_not_read_only(user)
    if post.state in (ContentState.HIDDEN, ContentState.REMOVED):
        raise PermissionDenied("This post has been taken down, so it can no longer be edited.")
    if post.topic.locked and not can_moderate(user):
        raise PermissionDenied("This topic is locked, so its posts can no longer be edited.")


def can_edit_post(user, post: Post) -> bool:
    return (
        post.author_id == user.pk
        and can_write(user)
        and post.state in (ContentState.VISIBLE, ContentState.HELD)
        and (not post.topic.locked or can_moderate(user))
    )


def check_remove_own_post(user, post: Post) -> None:
    check_see_post(user, post)
    if post.author_id != user.pk:
        raise PermissionDenied("You can only remove your own posts.")
    if post.state == ContentState.REMOVED:
        raise PermissionDenied("This post has already been removed.")


def can_remove_own_post(user, post: Post) -> bool:
    return post.author_id == user.pk and post.state in (ContentState.VISIBLE, ContentState.HELD)


def check_see_history(user, post: Post) -> None:
    """Earlier versions are for the author and moderators."""
    check_see_post(user, post)
    if post.author_id != user.pk and not can_moderate(user):
        raise PermissionDenied("Only the author and the moderators can see earlier versions of a post.")


def can_see_history(user, post: Post) -> bool:
    return post.author_id == user.pk or can_moderate(user)


def check_react(user, post: Post) -> None:
    """Reactions go on visible posts one can see, from members who are not read-only."""
    check_see_post(user, post)
    check_not_read_only(user)
    if post.state != ContentState.VISIBLE:
        raise PermissionDenied("Reactions are only possible on visible posts.")


def check_bookmark(user, post: Post) -> None:
    check_see_post(user, post)


def check_moderate_forum(user) -> None:
    """Hiding, removing, restoring, locking, pinning and moving are for moderators and staff."""
    if not can_moderate(user):
        raise PermissionDenied("Only moderators can do this.")


def can_report_post(user, post: Post) -> bool:
    """The Report link: on others' visible posts, for members who may write (a report is writing too)."""
    return post.author_id != user.pk and post.state == ContentState.VISIBLE and can_write(user)


def check_move_topic(user, topic: Topic, to_category: Category) -> None:
    check_moderate_forum(user)
    check_see_category(user, to_category)
