from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Notification


def notification_list(request):
    return render(
        request, "notifications/list.html", {"notifications": selectors.notifications_for(request.user)[:100]}
    )


@require_POST
def notification_open(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(notification=notification)
    target = notification.url if url_has_allowed_host_and_scheme(notification.url, None) else ""
    return redirect(target or "notifications:list")


@require_POST
def mark_all_read(request):
    services.mark_all_read(recipient=request.user)
    return redirect("notifications:list")
