"""Account emails (sign-up confirmation, password reset, invitations) leave the request as tasks.

A mail server that is slow or down must never turn a sign-up into a 500 or keep the page waiting: the request
only enqueues, after its transaction commits, and the task does the sending. A failed send is logged; where the
backend can run tasks later (the database backend in production) it is tried again a few times, and each failed
attempt stays recorded as a failed task result.
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskContext, task

from .models import Invitation, User

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Minutes to wait before attempt 2, 3, ...: long enough for a mail server to come back.
RETRY_DELAYS_MINUTES = (1, 5, 30, 120)


def message_to_dict(message: EmailMessage) -> dict:
    """An email as JSON-safe values, so a task can carry it (task arguments must be JSON)."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers or {}),
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
    }


def message_from_dict(data: dict) -> EmailMessage:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        headers=data.get("headers") or None,
    )
    for content, mimetype in data.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    return message


def enqueue_after_commit(task_obj, **kwargs) -> None:
    """Enqueue `task_obj` once the current transaction commits (at once outside one); never raises.

    A queue that cannot be reached is logged rather than shown to the person who just signed up: their account
    is already saved, and they can ask for the email again from the status page.
    """
    transaction.on_commit(partial(_enqueue, task_obj, kwargs), robust=True)


def _enqueue(task_obj, kwargs: dict) -> None:
    try:
        task_obj.enqueue(**kwargs)
    except Exception:
        logger.exception("Could not queue the task %s.", task_obj.name)


def _retry_or_raise(task_obj, kwargs: dict, attempt: int, error: Exception) -> None:
    """Schedule another attempt where the backend can defer, then re-raise so this attempt is recorded failed."""
    logger.warning("Sending an account email failed (attempt %s of %s): %s", attempt, MAX_ATTEMPTS, error)
    if attempt < MAX_ATTEMPTS and task_obj.get_backend().supports_defer:
        delay = timedelta(minutes=RETRY_DELAYS_MINUTES[min(attempt, len(RETRY_DELAYS_MINUTES)) - 1])
        try:
            task_obj.using(run_after=timezone.now() + delay).enqueue(**{**kwargs, "attempt": attempt + 1})
        except Exception:
            logger.exception("Could not schedule another attempt for %s.", task_obj.name)
    raise error


def send_or_retry(task_obj, kwargs: dict, attempt: int, message: EmailMessage) -> None:
    """Send `message` from inside `task_obj`; on failure schedule another attempt (where the backend can) and
    re-raise, so this attempt is recorded as failed. Every email task sends through this."""
    try:
        message.send()
    except Exception as exc:
        _retry_or_raise(task_obj, kwargs, attempt, exc)


@task(takes_context=True)
def send_email_message(context: TaskContext, message: dict, attempt: int = 1) -> None:
    """Send one prepared email (see `message_to_dict`)."""
    send_or_retry(send_email_message, {"message": message}, attempt, message_from_dict(message))


@task(takes_context=True)
def send_invitation_email(context: TaskContext, invitation_id: int, attempt: int = 1) -> None:
    """Email an invitation code to the address it is bound to, and note when it went out."""
    invitation = Invitation.objects.filter(pk=invitation_id).exclude(email="").first()
    if invitation is None or invitation.state in ("used", "revoked"):
        return
    # Discreet: neither subject nor body names a clinic programme or treatment.
    body = render_to_string(
        "members/email/invitation.txt",
        {"invitation": invitation, "signup_url": settings.WAGTAILADMIN_BASE_URL + reverse("account_signup")},
    )
    email = EmailMessage("Your invitation", body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    send_or_retry(send_invitation_email, {"invitation_id": invitation_id}, attempt, email)
    Invitation.objects.filter(pk=invitation.pk).update(last_sent_at=timezone.now())


@task(takes_context=True)
def send_approval_email(context: TaskContext, user_id: int, attempt: int = 1) -> None:
    """Tell an approved applicant they can sign in. Discreet: the subject and body name no clinic, programme or
    group (the email itself may be read by someone else), only that an account is ready."""
    user = User.objects.filter(pk=user_id, is_active=True, approved_at__isnull=False).first()
    if user is None:
        return
    body = render_to_string(
        "members/email/approved.txt",
        {"user": user, "sign_in_url": settings.WAGTAILADMIN_BASE_URL + reverse("account_login")},
    )
    email = EmailMessage("Your account is ready", body, settings.DEFAULT_FROM_EMAIL, [user.email])
    send_or_retry(send_approval_email, {"user_id": user_id}, attempt, email)
