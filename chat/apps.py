from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"

    def ready(self):
        from moderation import adapters
        from notifications.registry import register_resolver

        from . import signals  # noqa: F401 - connects the receivers that keep open sockets in step
        from .moderation import MessageAdapter
        from .notices import resolve_message_notices

        # Mention notices are worded and filtered by chat's own rules when they are shown.
        register_resolver("chat.message", resolve_message_notices)
        # Moderation's queue, reports and appeals reach chat messages only through this adapter.
        adapters.register(MessageAdapter())
