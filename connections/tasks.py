"""Work that leaves the request: alerting supporters of a support request, opening the day's check-in topics."""

from django.urls import reverse
from django_tasks import task

from notifications.services import notify_many

from . import selectors, services
from .models import SupportRequest

SUPPORT_NOTICE = "Someone needs support now"


@task()
def alert_support_responders(support_request_id: int) -> int:
    """Tell the on-duty peer supporters and moderators who may answer (in the app; by email per their settings,
    discreetly: the kind is in the "connections" email group). Nothing if the request was answered or withdrawn
    meanwhile. Returns how many were told."""
    support_request = SupportRequest.objects.filter(pk=support_request_id).select_related("member").first()
    if support_request is None or not selectors.is_open(support_request):
        return 0
    return notify_many(
        recipients=selectors.support_responders(support_request),
        kind="connections_support",
        text=SUPPORT_NOTICE,
        url=reverse("support:home") + "#waiting",
        target=support_request,
    )


@task()
def open_daily_checkins() -> int:
    """Open today's check-in topic in each check-in category (idempotent). Returns how many are open."""
    return len(services.open_daily_checkins())
