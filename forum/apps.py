from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"

    def ready(self) -> None:
        from moderation import adapters
        from notifications.registry import register_resolver

        from .moderation import PostAdapter
        from .notices import resolve_post_notices

        # Notices about posts are worded and filtered by the forum's own visibility rules when shown.
        register_resolver("forum.post", resolve_post_notices)
        # Moderation sees and acts on posts only through this adapter (it never imports the forum).
        adapters.register(PostAdapter())
