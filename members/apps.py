from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from notifications.registry import register_recipient_filter

        from . import signals  # noqa: F401
        from .blocking import ids_blocked_between

        # No notice, in the app or by email, passes between two members where one blocked the other.
        register_recipient_filter(ids_blocked_between)

        # The roles and programme groups come from a data migration (0004), run once: no post_migrate hook puts
        # back what staff changed since.
