from channels.auth import AuthMiddlewareStack
from django.urls import path

from .consumers import BellConsumer

websocket_urlpatterns = [
    # The bell reads the member from the session, as Channels' auth middleware puts it in the scope.
    path("ws/notifications/", AuthMiddlewareStack(BellConsumer.as_asgi())),
]
