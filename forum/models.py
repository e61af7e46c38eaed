"""Categories, topics, posts and what members keep about them (reactions, bookmarks, read state, subscriptions).

Counters on Category and Topic are denormalised for cheap list pages; `forum.services.refresh_*` keeps them
right, never `save()` or signals.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from modelsearch import index

from members.audience import AudienceMixin

TITLE_MAX = 200
BODY_MAX = 20_000
CW_MAX = 200
TOPICS_PER_PAGE = 25
POSTS_PER_PAGE = 20


class ContentState(models.TextChoices):
    VISIBLE = "visible", "Visible"
    HELD = "held", "Held for review"
    HIDDEN = "hidden", "Hidden by a moderator"
    REMOVED = "removed", "Removed"


class Category(AudienceMixin):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, max_length=1000)
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    locked = models.BooleanField(default=False, help_text="Only moderators may start topics or reply.")
    slow_mode_seconds = models.PositiveIntegerField(
        default=0, help_text="Least time between one member's posts in this category (0 = off)."
    )
    # Denormalised by services.refresh_category_stats.
    topic_count = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(null=True, blank=True)
    last_topic = models.ForeignKey("Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:category", args=[self.slug])


class Topic(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(max_length=TITLE_MAX)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_topics")
    state = models.CharField(max_length=10, choices=ContentState.choices, default=ContentState.VISIBLE)
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # The highest post number handed out so far (posts of every state count, so numbers never move).
    last_position = models.PositiveIntegerField(default=0)
    # Denormalised by services.refresh_topic_stats, over visible posts only.
    reply_count = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(default=timezone.now)
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_visible_position = models.PositiveIntegerField(default=0)

    class Meta:
        # The topic list's filter and order (selectors.CategoryTopics): a page of ids is read from this index alone.
        # `author` last, so that leaving out the authors a member is in a block with needs no table row either.
        indexes = [
            models.Index(
                fields=["category", "state", "pinned", "last_post_at", "id", "author"], name="forum_topic_list"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:topic", args=[self.pk])

    @property
    def page_count(self) -> int:
        return max(1, -(-self.last_position // POSTS_PER_PAGE))


class Post(index.Indexed, models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    # The post number within its topic, 1 for the opening post; pages are ranges of it (no OFFSET).
    position = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_posts")
    body = models.TextField(max_length=BODY_MAX)
    html = models.TextField()
    content_warning = models.CharField(max_length=CW_MAX, blank=True)
    quoted_post = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=ContentState.choices, default=ContentState.VISIBLE)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state_reason = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # When others could first see it: None while a post held from the start waits for review, so that its
    # approval sends the notices it would have sent when written (and a later restore sends none again).
    published_at = models.DateTimeField(null=True, blank=True)

    # Indexed explicitly by the services (see forum.search), not by the search library's save signal.
    search_auto_update = False
    search_fields = [
        # The search backends weigh a field named "title" above the body.
        index.SearchField("title", boost=2),
        index.SearchField("body"),
        index.FilterField("id"),
    ]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "position"], name="one_post_per_position")]
        indexes = [models.Index(fields=["author", "created_at"])]

    def __str__(self) -> str:
        return f"Post {self.position} in topic {self.topic_id}"

    def get_absolute_url(self) -> str:
        return reverse("forum:post", args=[self.pk])

    def title(self) -> str:
        # The opening post carries its topic's title, so a title match finds the topic.
        return self.topic.title if self.position == 1 else ""

    @property
    def page(self) -> int:
        return (self.position - 1) // POSTS_PER_PAGE + 1

    @property
    def removed_by_author(self) -> bool:
        return self.state == ContentState.REMOVED and self.state_changed_by_id == self.author_id


class PostRevision(models.Model):
    """An earlier text of a post, kept when it is edited."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    content_warning = models.CharField(max_length=CW_MAX, blank=True)
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["post", "number"], name="one_revision_per_number")]


class Reaction(models.Model):
    class Kind(models.TextChoices):
        SUPPORT = "support", "Sending support"
        THANKS = "thanks", "Thank you"
        STRONG = "strong", "Stay strong"
        HUG = "hug", "Hug"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind")]


class Bookmark(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_bookmarks")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_bookmark_per_post")]


class ReadState(models.Model):
    """How far one member has read one topic (the highest post number seen)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_states")
    last_read_position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="one_read_state_per_topic")]


class Subscription(models.Model):
    """Watch, follow normally or mute a topic or a category. A topic's own setting beats its category's."""

    class Level(models.TextChoices):
        WATCHING = "watching", "Watching"
        NORMAL = "normal", "Normal"
        MUTED = "muted", "Muted"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    level = models.CharField(max_length=10, choices=Level.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="one_subscription_per_topic"),
            models.UniqueConstraint(fields=["user", "category"], name="one_subscription_per_category"),
            models.CheckConstraint(
                condition=models.Q(topic__isnull=True, category__isnull=False)
                | models.Q(topic__isnull=False, category__isnull=True),
                name="subscription_to_topic_or_category",
            ),
        ]
