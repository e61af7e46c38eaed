"""On-call alerts leave the request as tasks (notifications.email: retried, never a 500 for the writer)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import TaskContext, task

from notifications.email import send_or_retry


@task(takes_context=True)
def alert_on_call(context: TaskContext, item_id: int, attempt: int = 1) -> None:
    """Tell on-call staff an urgent item is waiting. Discreet: no text, no names, no programme; only a link."""
    recipients = list(settings.COMMUNITY_ONCALL_EMAILS)
    if not recipients:
        return
    link = settings.WAGTAILADMIN_BASE_URL + reverse("moderation:item", args=[item_id])
    body = render_to_string("moderation/email/on_call_alert.txt", {"link": link})
    email = EmailMessage("Urgent: please check the review queue", body, settings.DEFAULT_FROM_EMAIL, bcc=recipients)
    send_or_retry(alert_on_call, {"item_id": item_id}, attempt, email, what="an on-call alert")
