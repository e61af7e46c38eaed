"""Every state change in the forum. Views and forms call these; permission checks are made before."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from audit.models import AuditAction
from audit.services import record_audit
from members.audience import Audience, audience_groups_error, in_audience
from members.permissions import can_moderate
from members.text import clean_member_text
from moderation.services import CLEAR, Decision, TextBlocked, after_publish, screen_writing
from notifications.services import notify

from . import search
from .markup import render_post
from .models import (
    BODY_MAX,
    CW_MAX,
    TITLE_MAX,
    Bookmark,
    Category,
    ContentState,
    Post,
    PostRevision,
    Reaction,
    ReadState,
    Subscription,
    Topic,
)


class ForumError(Exception):
    """Input the forum refuses; the message is shown to the member as is."""


class EditConflict(ForumError):
    """The post changed after the editor opened it; `post` holds the newer text."""

    def __init__(self, post: Post):
        super().__init__(
            "Someone (perhaps you, in another tab) changed this post since you opened it. "
            "Your changes were not saved; the newer text is shown below."
        )
        self.post = post


class TextRefused(ForumError):
    """Screening refused the text (a `block` watched word); the message is the reason written for the member."""


# --- checks on input -----------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    title = " ".join(clean_member_text(title).split())
    if not title:
        raise ForumError("Please give your topic a title.")
    if len(title) > TITLE_MAX:
        raise ForumError(f"Please keep the title to {TITLE_MAX} characters or fewer (it has {len(title)}).")
    return title


def _clean_body(body: str) -> str:
    body = clean_member_text(body).strip()
    if not body:
        raise ForumError("Please write something before posting.")
    if len(body) > BODY_MAX:
        raise ForumError(f"Please keep a post to {BODY_MAX:,} characters or fewer (it has {len(body):,}).")
    return body


def _clean_cw(content_warning: str) -> str:
    content_warning = " ".join(clean_member_text(content_warning).split())
    if len(content_warning) > CW_MAX:
        raise ForumError(f"Please keep the content warning to {CW_MAX} characters or fewer.")
    return content_warning


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


# --- counters ------------------------------------------------------------------------------------


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


# --- screening -----------------------------------------------------------------------------------

HELD_REASON = "Awaiting review: a moderator will look at it soon."


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
        _notify_for_new_post(post=post, new_topic=True)
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
    """Add a post at the end of `topic`; watchers and mentioned members are told (once it is published).

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
        _notify_for_new_post(post=post, new_topic=False)
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
        _notify_mentions(post=current, users=[u for u in rendered.mentioned if u.pk not in mentioned_before])
    after_publish(kind="post", target=current, decision=decision)
    current.decision = decision
    return current


# --- states (the ground for moderation) ----------------------------------------------------------


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


@transaction.atomic
def hide_post(*, post: Post, actor, reason: str) -> Post:
    """A moderator (or, with no actor, the system after several reports) hides a post from members; it is kept
    for review and appeal."""
    old_state = post.state
    _set_post_state(post=post, state=ContentState.HIDDEN, actor=actor, reason=reason)
    record_audit(
        actor=actor,
        action=AuditAction.HIDE_POST,
        target=post,
        reason=reason,
        changes={"state": (old_state, ContentState.HIDDEN)},
    )
    return post


@transaction.atomic
def remove_post(*, post: Post, actor, reason: str) -> Post:
    """A moderator removes a post; removal is never destruction."""
    old_state = post.state
    _set_post_state(post=post, state=ContentState.REMOVED, actor=actor, reason=reason)
    record_audit(
        actor=actor,
        action=AuditAction.REMOVE_POST,
        target=post,
        reason=reason,
        changes={"state": (old_state, ContentState.REMOVED)},
    )
    return post


@transaction.atomic
def restore_post(*, post: Post, actor, reason: str) -> Post:
    """Make a held, hidden or removed post visible again.

    A post published for the first time now (it was held from the start) tells mentioned members and watchers
    now, as it would have when written; a post that was out before is not announced twice.
    """
    first_publication = post.published_at is None
    old_state = post.state
    _set_post_state(post=post, state=ContentState.VISIBLE, actor=actor, reason=reason)
    record_audit(
        actor=actor,
        action=AuditAction.RESTORE_POST,
        target=post,
        reason=reason,
        changes={"state": (old_state, ContentState.VISIBLE)},
    )
    if first_publication:
        post._mentioned = render_post(post.body, post.topic.category).mentioned
        _notify_for_new_post(post=post, new_topic=post.position == 1)
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


# --- reactions, bookmarks, subscriptions, read state ---------------------------------------------


def add_reaction(*, post: Post, user, kind: str) -> bool:
    """Add one reaction; a second identical one changes nothing. Returns whether a row was added."""
    if kind not in Reaction.Kind.values:
        raise ForumError("That reaction isn't one we offer.")
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=user, kind=kind)
    except IntegrityError:
        return False
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


# --- notifications -------------------------------------------------------------------------------


def _levels_for(*, topic: Topic, user_ids) -> dict[int, str]:
    """Each member's effective level for `topic`: the topic's own setting, else the category's."""
    levels: dict[int, str] = {}
    for sub in Subscription.objects.filter(category=topic.category_id, user_id__in=user_ids):
        levels[sub.user_id] = sub.level
    for sub in Subscription.objects.filter(topic=topic, user_id__in=user_ids):
        levels[sub.user_id] = sub.level
    return levels


def _notify_mentions(*, post: Post, users) -> set[int]:
    topic = post.topic
    users = [u for u in users if u.pk != post.author_id]
    if not users:
        return set()
    levels = _levels_for(topic=topic, user_ids=[u.pk for u in users])
    told = set()
    for user in users:
        if levels.get(user.pk) == Subscription.Level.MUTED:
            continue
        notify(
            recipient=user,
            kind="forum_mention",
            text=f"{post.author.display_name} mentioned you in “{topic.title}”",
            url=post.get_absolute_url(),
            actor=post.author,
            target=post,
        )
        told.add(user.pk)
    return told


def _notify_for_new_post(*, post: Post, new_topic: bool) -> None:
    """Mentions first; then watchers of the topic (replies) or of the category (new topics)."""
    topic = post.topic
    told = _notify_mentions(post=post, users=getattr(post, "_mentioned", []))
    if new_topic:
        watcher_subs = Subscription.objects.filter(category=topic.category, level=Subscription.Level.WATCHING)
    else:
        watcher_subs = Subscription.objects.filter(topic=topic, level=Subscription.Level.WATCHING)
    watchers = [
        s.user
        for s in watcher_subs.select_related("user").exclude(user_id=post.author_id).exclude(user_id__in=told)
        if s.user.is_active and s.user.is_approved_member
    ]
    if not new_topic:
        # Category watchers hear of new topics; for replies a topic they muted stays quiet.
        muted = set(
            Subscription.objects.filter(topic=topic, level=Subscription.Level.MUTED).values_list("user_id", flat=True)
        )
        watchers = [w for w in watchers if w.pk not in muted]
    for watcher in watchers:
        # Someone may have left the programme group since they started watching.
        if not in_audience(watcher, topic.category):
            continue
        if new_topic:
            text = f"New topic in {topic.category.name}: “{topic.title}”"
        else:
            text = f"{post.author.display_name} replied to “{topic.title}”"
        url = post.get_absolute_url()
        notify(recipient=watcher, kind="forum_reply", text=text, url=url, actor=post.author, target=post)


# --- categories (staff) --------------------------------------------------------------------------


def _unique_slug(name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "category"
    slug, n = base, 2
    while Category.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_groups_fit(audience: str, programme_groups) -> None:
    error = audience_groups_error(audience, programme_groups)
    if error:
        raise ForumError(error)


@transaction.atomic
def create_category(
    *,
    actor,
    name: str,
    description: str = "",
    audience: str = Audience.ADULTS,
    programme_groups=(),
    position: int = 0,
    locked: bool = False,
    slow_mode_seconds: int = 0,
    slug: str = "",
) -> Category:
    """Staff add a category; audited."""
    _check_groups_fit(audience, programme_groups)
    category = Category.objects.create(
        name=name.strip(),
        slug=slug or _unique_slug(name),
        description=description.strip(),
        audience=audience,
        position=position,
        locked=locked,
        slow_mode_seconds=slow_mode_seconds,
    )
    category.programme_groups.set(programme_groups if audience == Audience.GROUPS else [])
    record_audit(actor=actor, action=AuditAction.CREATE_CATEGORY, target=category, reason=f"audience: {audience}")
    return category


@transaction.atomic
def update_category(*, category: Category, actor, programme_groups=(), **fields) -> Category:
    """Staff change a category (name, description, audience, order, locked, slow mode); audited."""
    allowed = {"name", "description", "audience", "position", "locked", "slow_mode_seconds"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"update_category() got unexpected fields {sorted(unknown)}")
    audience = fields.get("audience", category.audience)
    _check_groups_fit(audience, programme_groups)
    changes = {k: (getattr(category, k), v) for k, v in fields.items() if getattr(category, k) != v}
    groups = list(programme_groups) if audience == Audience.GROUPS else []
    old_groups = sorted(category.programme_groups.values_list("name", flat=True))
    if old_groups != sorted(g.name for g in groups):
        changes["programme_groups"] = (old_groups, sorted(g.name for g in groups))
    for key, value in fields.items():
        setattr(category, key, value)
    category.save(update_fields=list(fields) or None)
    category.programme_groups.set(groups)
    # Saving the form unchanged writes no audit row (record_audit skips empty changes).
    record_audit(
        actor=actor,
        action=AuditAction.UPDATE_CATEGORY,
        target=category,
        reason="changed: " + ", ".join(changes),
        changes=changes,
    )
    return category
