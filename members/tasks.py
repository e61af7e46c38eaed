"""Account emails (sign-up confirmation, password reset, invitations) leave the request as tasks.

A mail server that is slow or down must never turn a sign-up into a 500 or keep the page waiting: the request
only enqueues, after its transaction commits, and the task does the sending, retried where the backend can
(notifications.email holds that machinery, shared by every app that sends email).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskContext, task

# The machinery is shared with every app that sends email (notifications.email); these names stay importable
# from here for the callers that know them (the account adapter, services, tests).
from notifications.email import (  # noqa: F401
    MAX_ATTEMPTS,
    RETRY_DELAYS_MINUTES,
    enqueue_after_commit,
    message_from_dict,
    send_email_message,
    send_or_retry,
)
from notifications.email import message_to_dict as _message_to_dict

from .models import Invitation, User

ACCOUNT_EMAIL = "an account email"


def message_to_dict(message: EmailMessage) -> dict:
    """An account email as JSON-safe values for `send_email_message` (named as such in the log if it fails)."""
    return _message_to_dict(message, what=ACCOUNT_EMAIL)


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
    send_or_retry(send_invitation_email, {"invitation_id": invitation_id}, attempt, email, what=ACCOUNT_EMAIL)
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
    send_or_retry(send_approval_email, {"user_id": user_id}, attempt, email, what=ACCOUNT_EMAIL)
