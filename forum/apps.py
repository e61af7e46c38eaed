from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"

    def ready(self) -> None:
        from moderation import adapters
        from notifications.registry import register_resolver

        from . import account_data  # noqa: F401 - registers the forum's part of a member's export and erasure
        from .moderation import PostAdapter
        from .notices import resolve_post_notices

        # Notices about posts are worded and filtered by the forum's own visibility rules when shown.
        register_resolver("forum.post", resolve_post_notices)
        # Moderation sees and acts on posts only through this adapter (it never imports the forum).
        adapters.register(PostAdapter())
        # Audit rows about teen categories, topics and posts stay out of sight of moderators not cleared for them.
        from members.audience import Audience

        from .models import Category, Post, Topic

        adapters.register_teen_scope(Category, lambda: Category.objects.filter(audience=Audience.TEENS).values("pk"))
        adapters.register_teen_scope(
            Topic, lambda: Topic.objects.filter(category__audience=Audience.TEENS).values("pk")
        )
        adapters.register_teen_scope(
            Post, lambda: Post.objects.filter(topic__category__audience=Audience.TEENS).values("pk")
        )
