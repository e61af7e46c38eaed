"""WebSocket routes of every app, gathered in one list for asgi.py (Origin and session checks wrap them all)."""

from chat.routing import websocket_urlpatterns as chat_routes
from notifications.routing import websocket_urlpatterns as notification_routes

websocket_urlpatterns = [*chat_routes, *notification_routes]
