import asyncio
import uuid
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found

from chat.selectors import rooms_for
from forum.models import BODY_MAX
from forum.selectors import category_list_for
from members.audience import Audience
from resources.selectors import latest_resources_for

# A member approved this recently is greeted as a newcomer (a welcome and the guidelines, not "Welcome back").
# `approved_at` is on the user row the request already loaded, so the choice costs no query; a day covers the
# first few visits after the approval email, when the guidelines are worth seeing again.
FIRST_DAYS = timedelta(days=1)


def home(request):
    user = request.user
    categories = category_list_for(user)
    rooms = list(rooms_for(user))
    # Moderators see every group's space, so theirs are matched against their own groups (queries that do not
    # grow with the number of spaces); for a member the selectors have already done that.
    mine = set(user.programme_memberships.values_list("group_id", flat=True)) if user.is_moderator else None
    own_categories, own_rooms = _own_group_spaces(categories, mine), _own_group_spaces(rooms, mine)
    context = {
        "first_visit": user.approved_at is not None and timezone.now() - user.approved_at < FIRST_DAYS,
        "own_categories": own_categories,
        "own_rooms": own_rooms,
        "new_categories": [c for c in categories if c.has_unread],
        "new_rooms": [r for r in rooms if r.unread],
        "latest_resources": latest_resources_for(request),
    }
    return render(request, "home.html", context)


def _own_group_spaces(spaces: list, group_ids: set | None) -> list:
    """The spaces of the member's own programme groups, to show first.

    The selectors already narrow group spaces to the member's groups (and a teen's to teen spaces), so for a
    member (`group_ids` None) these are the visible spaces that are not for all adults.
    """
    if group_ids is None:
        return [s for s in spaces if s.audience in (Audience.GROUPS, Audience.TEENS)]
    prefetch_related_objects(spaces, "programme_groups")
    return [s for s in spaces if any(g.pk in group_ids for g in s.programme_groups.all())]


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


def not_found_in_development(request, path: str = ""):
    """With DEBUG on, Django answers an unknown address with its debug page, which lists every URL pattern of
    the site; the last pattern in development (community/urls.py) sends such addresses here instead, to the
    site's own 404 page, as in production. A missing trailing slash is still added, as CommonMiddleware would."""
    if not request.path.endswith("/"):
        match = _resolve_or_none(request.path + "/")
        if match is not None and match.url_name != "not_found_in_development":
            return redirect(
                request.path + "/" + (f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else "")
            )
    return page_not_found(request, Http404())


def _resolve_or_none(path: str):
    try:
        return resolve(path)
    except Resolver404:
        return None
