"""Writing: new topics, replies and edits, each screened before anything is stored."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from members.permissions import can_moderate
from moderation.services import CLEAR, Decision, TextBlocked, after_publish, screen_writing

from .. import search
from ..markup import render_post
from ..models import Category, ContentState, Post, PostRevision, Subscription, Topic
from .cleaning import _clean_body, _clean_cw, _clean_title
from .counters import refresh_category_stats, refresh_topic_stats
from .engagement import _mark_read_to, set_subscription
from .errors import EditConflict, ForumError, TextRefused
from .moderation import HELD_REASON, _set_post_state
from .notices import announce_new_mentions, announce_new_post

# --- slow mode -----------------------------------------------------------------------------------


def _check_slow_mode(*, author, category: Category) -> None:
    """Refuse a post that comes too soon after the author's last one in `category`.

    Called with the topic locked; it also locks the category row, so that simultaneous posts by one member (in
    one topic or in several) queue here and each sees the one before it: checked outside a lock, five at once
    all passed. The clock is read after the lock is taken, for the same reason.
    """
    if not category.slow_mode_seconds or can_moderate(author):
        return
    category = Category.objects.select_for_update().get(pk=category.pk)
    if not category.slow_mode_seconds:
        return
    now = timezone.now()
    since = now - timedelta(seconds=category.slow_mode_seconds)
    last = (
        Post.objects.filter(author=author, topic__category=category, created_at__gt=since)
        .aggregate(last=Max("created_at"))
        .get("last")
    )
    if last is not None:
        wait = int((last + timedelta(seconds=category.slow_mode_seconds) - now).total_seconds()) + 1
        raise ForumError(
            f"This category has slow mode on, to give everyone room. Please wait {wait} more "
            f"second{'s' if wait != 1 else ''} before posting here again."
        )


# --- screening -----------------------------------------------------------------------------------


def is_in_first_posts(author) -> bool:
    """Whether the author has published fewer than MODERATION_NEW_MEMBER_HOLD_POSTS posts (one query, none when
    the hold is off or the author moderates: their writing is never held)."""
    limit = settings.MODERATION_NEW_MEMBER_HOLD_POSTS
    if not limit or can_moderate(author):
        return False
    return Post.objects.filter(author=author, state=ContentState.VISIBLE)[:limit].count() < limit


def _screen(*, author, text: str, first_posts: bool) -> Decision:
    """The one screening rule for every place members write (moderation.services); a block refuses the text
    before anything is stored."""
    try:
        return screen_writing(author=author, text=text, first_posts=first_posts)
    except TextBlocked as exc:
        raise TextRefused(str(exc)) from None


# --- posting -------------------------------------------------------------------------------------


def _add_post(
    *, topic: Topic, author, body: str, content_warning: str, quoted_post: Post | None, held: bool = False
) -> Post:
    """Append a post to `topic`, inside the caller's transaction.

    The topic row is locked first (on SQLite the IMMEDIATE transaction mode in the settings does this job, as
    it has no row locks); slow mode is checked and the clock read under that lock, so that simultaneous posts
    get gap-free numbers, times that follow the numbers, and one slow-mode pass between them.
    """
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    _check_slow_mode(author=author, category=topic.category)
    now = timezone.now()
    position = locked.last_position + 1
    Topic.objects.filter(pk=topic.pk).update(last_position=position)
    topic.last_position = position
    rendered = render_post(body, topic.category)
    post = Post.objects.create(
        topic=topic,
        position=position,
        author=author,
        body=body,
        html=rendered.html,
        content_warning=content_warning,
        quoted_post=quoted_post,
        created_at=now,
        state=ContentState.HELD if held else ContentState.VISIBLE,
        state_reason=HELD_REASON if held else "",
        published_at=None if held else now,
    )
    post._mentioned = rendered.mentioned
    search.index_post(post)
    return post


@transaction.atomic
def create_topic(
    *,
    category: Category,
    author,
    title: str,
    body: str,
    content_warning: str = "",
    hold_first_posts: bool = True,
) -> Topic:
    """Start a topic with its opening post; the author watches it from then on.

    Title and text are screened first (TextRefused for a `block` match, nothing stored). A held opening post
    holds its topic too: only the author and moderators see it until a moderator approves it, and no one is
    told of it before then. `topic.decision` carries the screening decision (crisis help for the author).
    `hold_first_posts=False` is for the clinic's own seed content (forum.demo), never for members' writing.
    """
    title, body, content_warning = _clean_title(title), _clean_body(body), _clean_cw(content_warning)
    decision = _screen(
        author=author,
        text=f"{title}\n{content_warning}\n{body}",
        first_posts=hold_first_posts and is_in_first_posts(author),
    )
    now = timezone.now()
    # Slow mode is checked in _add_post, under the locks; a refusal there rolls this topic back with it.
    topic = Topic.objects.create(
        category=category,
        title=title,
        author=author,
        created_at=now,
        last_post_at=now,
        state=ContentState.HELD if decision.hold else ContentState.VISIBLE,
    )
    post = _add_post(
        topic=topic, author=author, body=body, content_warning=content_warning, quoted_post=None, held=decision.hold
    )
    refresh_topic_stats(topic=topic)
    refresh_category_stats(category=category)
    set_subscription(user=author, topic=topic, level=Subscription.Level.WATCHING)
    _mark_read_to(user=author, topic=topic, position=post.position)
    if not decision.hold:
        announce_new_post(post=post, new_topic=True)
    after_publish(kind="post", target=post, decision=decision)
    topic.decision = post.decision = decision
    topic.opening_post = post
    return topic


@transaction.atomic
def create_reply(
    *,
    topic: Topic,
    author,
    body: str,
    content_warning: str = "",
    quoted_post: Post | None = None,
    hold_first_posts: bool = True,
) -> Post:
    """Add a post at the end of `topic`; watchers and mentioned members are told (once it is published, by a
    task after this transaction commits: forum.services.notices).

    Screened like a topic; `post.decision` carries the screening decision.
    """
    body, content_warning = _clean_body(body), _clean_cw(content_warning)
    decision = _screen(
        author=author,
        text=f"{content_warning}\n{body}",
        first_posts=hold_first_posts and is_in_first_posts(author),
    )
    if quoted_post is not None and quoted_post.topic_id != topic.pk:
        quoted_post = None
    post = _add_post(
        topic=topic,
        author=author,
        body=body,
        content_warning=content_warning,
        quoted_post=quoted_post,
        held=decision.hold,
    )
    refresh_topic_stats(topic=topic)
    refresh_category_stats(category=topic.category)
    _mark_read_to(user=author, topic=topic, position=post.position)
    if not decision.hold:
        announce_new_post(post=post, new_topic=False)
    after_publish(kind="post", target=post, decision=decision)
    post.decision = decision
    return post


@transaction.atomic
def edit_post(*, post: Post, editor, body: str, content_warning: str = "", base_revision: int) -> Post:
    """Change a post's text, keeping the earlier text as a revision.

    `base_revision` is the revision the editor started from; if the post moved on since, nothing is
    overwritten and EditConflict carries the newer post.

    The new text is screened as a new post is: a block refuses it (nothing stored), a hold takes the post (and,
    for an opening post, its topic) out of sight until a moderator approves it. `post.decision` carries it.
    """
    body, content_warning = _clean_body(body), _clean_cw(content_warning)
    current = Post.objects.select_for_update().select_related("topic__category").get(pk=post.pk)
    if current.revision != base_revision:
        raise EditConflict(current)
    if current.body == body and current.content_warning == content_warning:
        current.decision = CLEAR
        return current
    title = f"{current.topic.title}\n" if current.position == 1 else ""
    decision = _screen(
        author=current.author,
        text=f"{title}{content_warning}\n{body}",
        # The new-member hold is about new posts: a post a moderator already let through is not held again for
        # an edit (watched words still screen the new text).
        first_posts=False,
    )
    now = timezone.now()
    mentioned_before = {u.pk for u in render_post(current.body, current.topic.category).mentioned}
    PostRevision.objects.create(
        post=current,
        number=current.revision,
        body=current.body,
        content_warning=current.content_warning,
        written_at=current.edited_at or current.created_at,
        replaced_at=now,
        replaced_by=editor,
    )
    rendered = render_post(body, current.topic.category)
    current.body = body
    current.html = rendered.html
    current.content_warning = content_warning
    current.revision += 1
    current.edited_at = now
    current.save(update_fields=["body", "html", "content_warning", "revision", "edited_at"])
    search.index_post(current)
    if decision.hold and current.state == ContentState.VISIBLE:
        _set_post_state(post=current, state=ContentState.HELD, actor=None, reason=HELD_REASON)
    if current.state == ContentState.VISIBLE:
        # Only members newly mentioned by this edit hear about it (a held post tells no one until approved).
        announce_new_mentions(post=current, users=[u for u in rendered.mentioned if u.pk not in mentioned_before])
    after_publish(kind="post", target=current, decision=decision)
    current.decision = decision
    return current
