from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self):
        from members.naming import register_name_screen

        from . import adapters
        from .member_adapter import MemberAdapter
        from .services import screen_name

        adapters.register(MemberAdapter())
        # Display names pass the same watched words; members cannot import moderation, so it offers a hook.
        register_name_screen(screen_name)
