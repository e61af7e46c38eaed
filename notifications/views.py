from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services


def notification_list(request):
    return render(request, "notifications/list.html", {"notifications": selectors.notifications_for(request.user)})


@require_POST
def notification_open(request, pk: int):
    notification = selectors.notification_for(request.user, pk)
    services.mark_read(notification=notification)
    if notification.shown is None:
        # What it pointed at was taken down or moved out of reach since it was sent.
        messages.info(request, "That is no longer available, so there is nothing to open.")
        return redirect("notifications:list")
    url = notification.shown.url
    target = url if url_has_allowed_host_and_scheme(url, None) else ""
    return redirect(target or "notifications:list")


@require_POST
def mark_all_read(request):
    services.mark_all_read(recipient=request.user)
    return redirect("notifications:list")
