import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


def home(request):
    return render(request, "home.html")


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


async def _channel_layer_roundtrip() -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel("healthz.")
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "healthz", "token": token})
    message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    if message.get("token") != token:
        raise RuntimeError("channel layer returned another message")


@never_cache
def healthz(request):
    """For load balancers: is the database reachable, and does a message go round the channel layer?"""
    state = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        state["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        state["database"] = f"error: {exc.__class__.__name__}"
    try:
        async_to_sync(_channel_layer_roundtrip)()
        state["channel_layer"] = "ok"
    except Exception as exc:  # noqa: BLE001
        state["channel_layer"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in state.values())
    return JsonResponse({"status": "ok" if healthy else "error", **state}, status=200 if healthy else 503)
