from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_root(sender, **kwargs):
    from .services import ensure_resource_root

    ensure_resource_root()


class ResourcesConfig(AppConfig):
    name = "resources"

    def ready(self) -> None:
        post_migrate.connect(_ensure_root, sender=self)
