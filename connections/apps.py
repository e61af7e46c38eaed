from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "connections"

    def ready(self) -> None:
        from moderation import dashboard
        from notifications import registry

        from . import account_data  # noqa: F401 - registers connections' part of a member's export and erasure
        from .dashboard import support_response_panel
        from .notices import resolve_support_notices, support_visibility

        # A support alert is shown only while its reader may still answer it.
        registry.register_resolver("connections.supportrequest", resolve_support_notices)
        registry.register_visibility_check("connections.supportrequest", support_visibility)
        # Staff see how fast support requests were answered, on the moderation dashboard.
        dashboard.register_panel("connections/includes/support_panel.html", support_response_panel)
