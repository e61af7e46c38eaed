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
        # Audit rows about teen rooms and their messages stay out of sight of moderators not cleared for them.
        from members.audience import Audience

        from .models import Message, Room

        adapters.register_teen_scope(Room, lambda: Room.objects.filter(audience=Audience.TEENS).values("pk"))
        adapters.register_teen_scope(
            Message, lambda: Message.objects.filter(room__audience=Audience.TEENS).values("pk")
        )
        from . import account_data  # noqa: F401 - registers chat's part of a member's export and erasure
