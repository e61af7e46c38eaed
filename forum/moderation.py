"""Forum posts as reviewable things: moderation's queue, reports and appeals see and act on posts only through
this adapter (moderation.adapters), which calls the forum's own audited services. Registered in ForumConfig.ready().

Lock, unlock and move act on the post's topic: a moderator acting from a reported post reaches its thread.
"""

from members.audience import Audience
from moderation import adapters
from moderation.adapters import ContextLine
from moderation.services import ItemError

from . import permissions, services
from .models import Category, ContentState, Post
from .selectors import move_choices_for

CONTEXT_AROUND = 2
_STATES = {
    ContentState.VISIBLE: adapters.VISIBLE,
    ContentState.HELD: adapters.HELD,
    ContentState.HIDDEN: adapters.HIDDEN,
    ContentState.REMOVED: adapters.REMOVED,
}


def _is_teen(category: Category) -> bool:
    return category.audience == Audience.TEENS


class PostAdapter:
    kind = "post"
    label = "Forum post"
    model = Post
    actions = (
        adapters.HIDE,
        adapters.REMOVE,
        adapters.RESTORE,
        adapters.CONTENT_WARNING,
        adapters.LOCK,
        adapters.UNLOCK,
        adapters.MOVE,
    )

    def _posts(self):
        return Post.objects.select_related("topic__category", "author")

    def get(self, target_id):
        return self._posts().filter(pk=target_id).first()

    def get_many(self, ids):
        return {post.pk: post for post in self._posts().filter(pk__in=list(ids))}

    def author(self, obj):
        return obj.author

    def text(self, obj) -> str:
        # The opening post carries its topic's title: a report of a topic is mostly about both.
        parts = [obj.topic.title] if obj.position == 1 else []
        if obj.content_warning:
            parts.append(f"CW: {obj.content_warning}")
        parts.append(obj.body)
        return "\n\n".join(parts)

    def state(self, obj) -> str:
        return _STATES[obj.state]

    def url(self, obj) -> str:
        return obj.get_absolute_url()

    def where(self, obj) -> str:
        return f"Topic “{obj.topic.title}” in {obj.topic.category.name}"

    def in_teen_space(self, obj) -> bool:
        return _is_teen(obj.topic.category)

    def can_report(self, user, obj) -> bool:
        """Whether the member may see the post's text where it is (the forum's own rule for pages)."""
        return permissions.can_see_topic(user, obj.topic) and permissions.can_see_post_body(user, obj)

    def context(self, obj) -> list[ContextLine]:
        """The posts just before and after, for moderators (held, hidden and removed ones included, marked)."""
        around = (
            Post.objects.filter(
                topic_id=obj.topic_id,
                position__gte=obj.position - CONTEXT_AROUND,
                position__lte=obj.position + CONTEXT_AROUND,
            )
            .select_related("author")
            .order_by("position")
        )
        return [
            ContextLine(
                author_name=post.author.display_name,
                text=post.body,
                created_at=post.created_at,
                is_target=post.pk == obj.pk,
                state=_STATES[post.state],
            )
            for post in around
        ]

    def act(self, name: str, obj, *, actor, reason: str, **options) -> None:
        topic = obj.topic
        if name == adapters.HIDE:
            services.hide_post(post=obj, actor=actor, reason=reason)
        elif name == adapters.REMOVE:
            services.remove_post(post=obj, actor=actor, reason=reason)
        elif name == adapters.RESTORE:
            services.restore_post(post=obj, actor=actor, reason=reason)
        elif name == adapters.CONTENT_WARNING:
            try:
                services.set_content_warning(post=obj, actor=actor, reason=reason, warning=options.get("warning", ""))
            except services.ForumError as exc:
                raise ItemError(str(exc)) from None
        elif name in (adapters.LOCK, adapters.UNLOCK):
            locked = name == adapters.LOCK
            if topic.locked == locked:
                raise ItemError(f"This topic is already {'locked' if locked else 'open'}; nothing was changed.")
            services.lock_topic(topic=topic, actor=actor, reason=reason, locked=locked)
        elif name == adapters.MOVE:
            to_category = self._destination(obj, actor, options)
            services.move_topic(topic=topic, to_category=to_category, actor=actor, reason=reason)
        else:
            raise adapters.UnknownKind(name)

    def _destination(self, obj, actor, options) -> Category:
        try:
            category_id = int(options.get("category_id") or 0)
        except (TypeError, ValueError):
            category_id = 0
        if category_id not in dict(self.move_choices(obj, actor)):
            raise ItemError("Choose one of the categories offered; the topic was not moved.")
        return Category.objects.get(pk=category_id)

    def offered(self, obj) -> tuple[str, ...]:
        """A locked topic offers "unlock" and an open one "lock", never both."""
        unwanted = adapters.LOCK if obj.topic.locked else adapters.UNLOCK
        return tuple(action for action in self.actions if action != unwanted)

    def move_choices(self, obj, user) -> list[tuple[int, str]]:
        return move_choices_for(user, obj.topic)
