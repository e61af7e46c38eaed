import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache

from forum.models import BODY_MAX
from resources.selectors import latest_resources_for


def home(request):
    return render(request, "home.html", {"latest_resources": latest_resources_for(request)})


def to_the_one_sign_in(request, *args, target: str = "account_login", **kwargs):
    """Wagtail and the Django admin bring their own sign-in and password views; each would skip allauth's rate
    limits and authenticator step. Their addresses lead here and on to allauth's page, keeping `next`."""
    url = reverse(target)
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        url += "?" + urlencode({"next": next_url})
    return redirect(url)


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


def bad_request(request, exception=None):
    """The site's own page for a request it cannot take (400), saying the limit plainly when a post was too big.

    Django's default renders 400.html without the request, so the page could not wear the site's header. Forum
    composers keep a draft in the browser (static/js/draft.js), so the page can promise the text is not lost.
    """
    referer = request.META.get("HTTP_REFERER", "")
    back = referer if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}) else ""
    context = {"too_big": isinstance(exception, RequestDataTooBig), "body_max": f"{BODY_MAX:,}", "back_url": back}
    return render(request, "400.html", context, status=400)
