import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.production")
# Django must be set up before the consumers (and their models) are imported.
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from community.origins import OriginValidator  # noqa: E402
from community.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # No session or auth middleware around all of them: the chat socket loads its member from the session
        # cookie in the same database trip as its room (chat.consumers); the bell's route has its own.
        "websocket": OriginValidator(URLRouter(websocket_urlpatterns)),
    }
)
