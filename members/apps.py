from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from . import signals  # noqa: F401

        # The roles and programme groups come from a data migration (0004), run once: no post_migrate hook puts
        # back what staff changed since.
