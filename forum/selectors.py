"""Every member-facing read of the forum: audience and state filters live here and nowhere else.

The list and topic pages run a fixed number of queries whatever the number of rows: per-member state
(unread, bookmarked, subscription) comes in as annotations, reactions in one bulk query.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, F, FilteredRelation, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.functional import cached_property

from members.audience import Audience, audience_q, members_visible_q
from members.models import User
from members.permissions import can_moderate

from .models import (
    POSTS_PER_PAGE,
    Bookmark,
    Category,
    ContentState,
    Post,
    Reaction,
    ReadState,
    Subscription,
    Topic,
)
from .permissions import can_see_post_body, check_see_post, check_see_topic, hidden_authors

# --- categories ----------------------------------------------------------------------------------


def visible_categories_for(user) -> QuerySet[Category]:
    return Category.objects.filter(audience_q(user, Category))


def _read_position(user, topic_ref: str = "pk"):
    return Subquery(
        ReadState.objects.filter(user=user, topic=OuterRef(topic_ref)).values("last_read_position")[:1],
        output_field=IntegerField(),
    )


def _unread_topics_q(user) -> Q:
    """Topics with visible posts past the member's read marker. Activity from before they joined is not news."""
    read_to_end = ReadState.objects.filter(
        user=user, topic=OuterRef("pk"), last_read_position__gte=OuterRef("last_visible_position")
    )
    muted = Subscription.objects.filter(user=user, topic=OuterRef("pk"), level=Subscription.Level.MUTED)
    return Q(state=ContentState.VISIBLE, last_post_at__gt=user.date_joined) & ~Exists(read_to_end) & ~Exists(muted)


def category_list_for(user) -> list[Category]:
    """The categories a member may see, each with its latest topic and an unread mark (one query, and the
    member's blocks: a latest topic started by someone in a block with them is not named, nor such a poster)."""
    unread = Topic.objects.filter(_unread_topics_q(user), category=OuterRef("pk"))
    categories = list(
        visible_categories_for(user)
        .select_related("last_topic__last_poster")
        .annotate(has_unread=Exists(unread))
        .order_by("position", "name")
    )
    hidden = hidden_authors(user)
    for category in categories:
        latest = category.last_topic
        category.latest_hidden = latest is not None and latest.author_id in hidden
        category.last_poster_hidden = latest is not None and latest.last_poster_id in hidden
    return categories


def category_for(user, slug: str) -> Category:
    """The category, or 404 when it does not exist or is outside the member's audience."""
    category = visible_categories_for(user).filter(slug=slug).first()
    if category is None:
        raise Http404("No such category.")
    return category


def subscription_level(user, *, topic=None, category=None) -> str:
    target = {"topic": topic} if topic is not None else {"category": category}
    sub = Subscription.objects.filter(user=user, **target).values_list("level", flat=True).first()
    return sub or Subscription.Level.NORMAL


# --- topic lists ---------------------------------------------------------------------------------


# The list's order; the index `forum_topic_list` (category, state, pinned, last_post_at, id, author) matches it.
TOPIC_ORDER = ("-pinned", "-last_post_at", "-pk")
# Topics waiting for review shown above a list's first page, at most (a moderation backlog, not a second list).
WAITING_SHOWN = 50


def _listed_topics(user, category: Category) -> QuerySet[Topic]:
    """The visible topics of `category` that the member's list shows: none started by a member in a block with the
    reader (the title is that member's words, and the thread is theirs; a link to one still opens it, with their
    posts collapsed)."""
    topics = Topic.objects.filter(category=category, state=ContentState.VISIBLE)
    if hidden := hidden_authors(user):
        topics = topics.exclude(author_id__in=hidden)
    return topics


def _with_row_state(user, topics: QuerySet[Topic]) -> QuerySet[Topic]:
    """What a row of the list shows: the two names and the member's read position (for the unread mark)."""
    return topics.select_related("author", "last_poster").annotate(read_position=_read_position(user))


class CategoryTopics:
    """The visible topics of a category, for Django's Paginator: it counts them, then reads only the asked page.

    One query with an OR (visible, or the member's own held topic) and `-pk` in the order kept SQLite and
    PostgreSQL from walking the list's index: every topic of the category was read, joined to its author and last
    poster, given its read position, and sorted, for any page (at 10,000 topics the first page cost 2.2x and the
    last 3x what they cost at 200). Now (docs/PERFORMANCE.md):
    - the count is the category's stored counter, which the services keep (`refresh_category_stats`); for a member
      with blocks it is counted along the index instead, as their list leaves some topics out;
    - a page is first the ids of its rows, read from the index alone (its OFFSET steps over index entries, not over
      joined rows), then those rows with names and read position; past the middle of the list the ids are read
      from its other end, so the last page costs what the first does;
    - topics waiting for review are not in it: `waiting_topics` reads them apart.
    """

    def __init__(self, user, category: Category):
        self.user, self.category = user, category

    @cached_property
    def total(self) -> int:
        if hidden_authors(self.user):
            return _listed_topics(self.user, self.category).count()
        return self.category.topic_count

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[Topic]:
        start, stop = window.start or 0, min(window.stop, self.total)
        if stop <= start:
            return []
        listed = _listed_topics(self.user, self.category)
        if start > self.total - stop:
            # Nearer the end: the same rows, counted from the oldest.
            ascending = [field.lstrip("-") for field in TOPIC_ORDER]
            ids = listed.order_by(*ascending).values("pk")[self.total - stop : self.total - start]
        else:
            ids = listed.order_by(*TOPIC_ORDER).values("pk")[start:stop]
        return list(_with_row_state(self.user, Topic.objects.filter(pk__in=ids)).order_by(*TOPIC_ORDER))


def waiting_topics(user, category: Category) -> list[Topic]:
    """Topics of `category` the member sees that wait for review, shown above the first page of the list: their own
    held ones, or for moderators every held or hidden one. One query (by author, or along the list's index)."""
    if can_moderate(user):
        topics = Topic.objects.filter(category=category, state__in=[ContentState.HELD, ContentState.HIDDEN])
        if hidden := hidden_authors(user):
            topics = topics.exclude(author_id__in=hidden)
    else:
        topics = Topic.objects.filter(category=category, state=ContentState.HELD, author=user)
    return list(_with_row_state(user, topics).order_by(*TOPIC_ORDER)[:WAITING_SHOWN])


def topics_in_category(user, category: Category) -> list[Topic]:
    """Every topic of `category` the member's list shows, all pages: the waiting ones, then the visible ones."""
    listed = CategoryTopics(user, category)
    return [*waiting_topics(user, category), *listed[0 : listed.total]]


def mark_topic_rows(user, topics) -> None:
    """For rows of the topic list: the unread mark, and whether the last poster is someone in a block with
    the reader (then the row does not name them). No query (the reader's blocks are already known)."""
    hidden = hidden_authors(user)
    for topic in topics:
        topic.unread = is_unread(user, topic)
        topic.last_poster_hidden = topic.last_poster_id in hidden


def is_unread(user, topic: Topic) -> bool:
    """For rows of the topic list or a topic from `topic_for`: new visible posts past the read marker."""
    if topic.state != ContentState.VISIBLE or topic.last_post_at <= user.date_joined:
        return False
    return (topic.read_position or 0) < topic.last_visible_position


# --- one topic -----------------------------------------------------------------------------------


def topic_for(user, pk: int) -> Topic:
    """The topic with its category and the member's read position and subscription, or 404."""
    # The member's read position and subscription come by two outer joins on their (user, topic) rows, each at
    # most one (unique), rather than two correlated subqueries: one plain query, less for the ORM to build.
    topic = (
        Topic.objects.select_related("category")
        .annotate(
            mine_read=FilteredRelation("read_states", condition=Q(read_states__user=user)),
            mine_sub=FilteredRelation("subscriptions", condition=Q(subscriptions__user=user)),
            read_position=F("mine_read__last_read_position"),
            my_level=F("mine_sub__level"),
        )
        .filter(pk=pk, category__in=visible_categories_for(user))
    )
    # At most one row (by pk), so no ORDER BY: `.first()` would add one by pk, and building it makes Django hash
    # every selected column of topic and category, which cost more than the rest of the query's building.
    topic = next(iter(topic[:1]), None)
    if topic is None:
        raise Http404("No such topic.")
    check_see_topic(user, topic, audience_checked=True)
    return topic


@dataclass
class ReactionSummary:
    kind: str
    label: str
    count: int
    names: list[str]
    mine: bool


def attach_reactions(user, posts: list[Post]) -> None:
    """Counts, names and the member's own choice per reaction kind, for these posts, in one query. Reactions of
    members in a block with the reader are not counted for them (neither sees the other)."""
    # Plain rows, not Reaction and User instances: a page has dozens of reactions, and building two model objects
    # for each (to read one name) was most of this function's time.
    by_post: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    mine: set[tuple[int, str]] = set()
    rows = Reaction.objects.filter(post__in=[p.pk for p in posts])
    if hidden := hidden_authors(user):
        rows = rows.exclude(user_id__in=hidden)
    rows = rows.order_by("created_at", "pk").values_list("post_id", "kind", "user_id", "user__display_name")
    for post_id, kind, user_id, name in rows:
        by_post[post_id][kind].append(name)
        if user_id == user.pk:
            mine.add((post_id, kind))
    kinds = Reaction.Kind.choices
    for post in posts:
        given = by_post.get(post.pk, {})
        summary = []
        for kind, label in kinds:
            names = given.get(kind, [])
            summary.append(
                ReactionSummary(kind=kind, label=label, count=len(names), names=names, mine=(post.pk, kind) in mine)
            )
        post.reaction_summary = summary


# What a topic page shows of a post and its author (forum/fragments.py, views._prepare_posts). The author's row has
# two dozen columns and the page needs two: loading all of them, for each of 20 posts, was a good part of the
# query's cost. The Markdown source (`body`) is not shown either; the HTML made of it is.
_PAGE_POST_FIELDS = (
    "topic_id",
    "position",
    "author__display_name",
    "author__date_joined",
    "html",
    "content_warning",
    "state",
    "state_changed_by_id",
    "state_reason",
    "revision",
    "created_at",
    "edited_at",
    "published_at",
)


def posts_on_page(user, topic: Topic, page: int) -> list[Post]:
    """Posts numbered (page-1)*20+1 .. page*20, in order, with author, bookmark mark and reactions.

    Removed and hidden posts keep their place as a placeholder (`show_body` False); someone else's held post
    is left out. A post by a member in a block with the reader, either way, keeps its place as a short line
    (`blocked`): no text, no name, no reactions or buttons. Three queries (posts, reactions, the reader's blocks),
    whatever the page number or topic length.
    """
    first = (page - 1) * POSTS_PER_PAGE + 1
    last = page * POSTS_PER_PAGE
    held_ok = Q(state=ContentState.HELD, author=user) if not can_moderate(user) else Q(state=ContentState.HELD)
    posts = list(
        Post.objects.filter(topic=topic, position__gte=first, position__lte=last)
        .filter(~Q(state=ContentState.HELD) | held_ok)
        .select_related("author")
        .only(*_PAGE_POST_FIELDS)
        # The reader's bookmark by an outer join on their (post, user) row, at most one (unique), rather than a
        # correlated EXISTS: as with `topic_for`, a join is less for the ORM to build.
        .annotate(
            mine_bookmark=FilteredRelation("bookmarks", condition=Q(bookmarks__user=user)),
            bookmark_id=F("mine_bookmark__id"),
        )
        .order_by("position")
    )
    hidden = hidden_authors(user)
    for post in posts:
        post.bookmarked = post.bookmark_id is not None
        post.topic = topic  # already loaded; saves a query per post in the permission twins
        post.blocked = post.author_id in hidden
        post.show_body = can_see_post_body(user, post)
    attach_reactions(user, [post for post in posts if not post.blocked])
    return posts


def post_for(user, pk: int) -> Post:
    """One post (for permalinks, quotes, reactions, edits), or 404 if the member may not reach it."""
    post = (
        Post.objects.select_related("topic__category", "author")
        .filter(pk=pk, topic__category__in=visible_categories_for(user))
        .first()
    )
    if post is None:
        raise Http404("No such post.")
    check_see_post(user, post, audience_checked=True)
    return post


def opening_post_for(user, topic: Topic) -> Post:
    """The topic's first post (moderators' topic tools act through it), for a topic already checked with
    `topic_for`."""
    post = Post.objects.select_related("author").filter(topic=topic, position=1).first()
    if post is None:
        raise Http404("No such post.")
    post.topic = topic
    check_see_post(user, post, audience_checked=True)
    return post


def move_choices_for(user, topic: Topic) -> list[tuple[int, str]]:
    """Where a moderator may move the topic: categories they can see, on the same side of the teen/adult line
    (a teen topic never moves among adults, nor the other way), the current one left out. One query."""
    teen = Q(audience=Audience.TEENS)
    same_side = teen if topic.category.audience == Audience.TEENS else ~teen
    return list(
        visible_categories_for(user)
        .filter(same_side)
        .exclude(pk=topic.category_id)
        .order_by("position", "name")
        .values_list("pk", "name")
    )


def revisions_for(post: Post):
    return post.revisions.select_related("replaced_by").order_by("-number")


# --- across topics -------------------------------------------------------------------------------


def visible_posts_for(user) -> QuerySet[Post]:
    """Visible posts in visible topics of categories the member may see (search, bookmarks, member pages), none
    by a member in a block with them."""
    posts = Post.objects.filter(
        state=ContentState.VISIBLE,
        topic__state=ContentState.VISIBLE,
        topic__category__in=visible_categories_for(user),
    )
    hidden = hidden_authors(user)
    return posts.exclude(author_id__in=hidden) if hidden else posts


def bookmarks_for(user) -> QuerySet[Bookmark]:
    """The member's bookmarks that still point at something they may see."""
    return (
        Bookmark.objects.filter(user=user, post__in=visible_posts_for(user))
        .select_related("post__topic__category", "post__author")
        .order_by("-created_at", "-pk")
    )


def member_for(user, pk: int) -> User:
    """A member's forum page: only across the teen/adult line one may see, and only approved members."""
    member = (
        User.objects.filter(members_visible_q(user), pk=pk, is_active=True, approved_at__isnull=False)
        .prefetch_related("groups")
        .first()
    )
    if member is None:
        raise Http404("No such member.")
    return member


def recent_posts_by(user, member: User, limit: int = 20) -> list[Post]:
    return list(
        visible_posts_for(user)
        .filter(author=member)
        .select_related("topic__category")
        .order_by("-created_at", "-pk")[:limit]
    )
