from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs):
    from .setup import ensure_roles_and_groups

    ensure_roles_and_groups()


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from . import signals  # noqa: F401

        # After every app's migrations, so that Wagtail's and the moderation permissions exist.
        post_migrate.connect(_ensure_roles, dispatch_uid="members.ensure_roles")
