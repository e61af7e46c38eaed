"""WebSocket routes of every app, gathered in one list for asgi.py (the Origin check wraps them all; each app's
routes bring their own session handling: chat loads it itself, the bell through Channels' auth middleware)."""

from chat.routing import websocket_urlpatterns as chat_routes
from notifications.routing import websocket_urlpatterns as notification_routes

websocket_urlpatterns = [*chat_routes, *notification_routes]
