"""Notification emails, sent by tasks: worked out after the request that made the notices has committed.

Discreet by design (the inbox may be shared, or read over a shoulder): a neutral subject, the community's
configured name, how many new notices there are and a link to /notifications/. Never a post's words, a
member's name, a programme, or the site's host name outside the links. Each email is about the notices that
no email told of yet, and marks them told, so nothing is emailed twice (at once, then again in a digest).
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskContext, task

from . import registry, selectors
from .email import enqueue_now, send_or_retry
from .kinds import ALL, DIGEST_PERIODS, GROUP_TOPICS, Frequency, group_for_kind
from .tokens import make_unsubscribe_token

logger = logging.getLogger(__name__)

SUBJECT = "You have new activity"
# An email counts up to this many notices ("200 or more"): the member reads them on the site anyway.
EMAIL_SCAN = 200
NOTIFICATION_EMAIL = "a notification email"


def _absolute(path: str) -> str:
    # The configured public address, never the Host header of whatever request is around.
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def unsubscribe_url(*, user_id: int, group: str) -> str:
    token = make_unsubscribe_token(user_id=user_id, group=group)
    return _absolute(reverse("notifications:unsubscribe", args=[token]))


def activity_email(*, user, count: int, more: bool, frequency: str, group: str) -> EmailMultiAlternatives:
    """The one email there is: "you have new activity", how many, and where to see it. `group` is what its
    unsubscribe link stops (one group, or kinds.ALL when the email counts notices of several)."""
    stop_url = unsubscribe_url(user_id=user.pk, group=group)
    context = {
        "community_name": settings.COMMUNITY_NAME,
        "count": count,
        "more": more,
        "frequency": frequency,
        "notifications_url": _absolute(reverse("notifications:list")),
        "settings_url": _absolute(reverse("notifications:email_preferences")),
        "unsubscribe_url": stop_url,
        "topic": GROUP_TOPICS[group],
    }
    message = EmailMultiAlternatives(
        subject=f"{settings.COMMUNITY_NAME}: {SUBJECT}",
        body=render_to_string("notifications/email/activity.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            # RFC 8058: mail programs offer their own "unsubscribe" button, which POSTs to this address.
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("notifications/email/activity.html", context), "text/html")
    return message


@task()
def fan_out_emails(recipient_ids: list[int], kind: str) -> None:
    """After notices of `kind` were made: one email task for each recipient who wants that kind at once.
    One preference query for the chunk; each email is its own task, so that one failure touches one member."""
    group = group_for_kind(kind)
    if group is None:
        return
    for user in selectors.members_to_email(user_ids=recipient_ids, group=group, frequency=Frequency.IMMEDIATELY):
        enqueue_now(send_activity_email, {"user_id": user.pk})


@task(takes_context=True)
def send_activity_email(context: TaskContext, user_id: int, attempt: int = 1) -> None:
    """Email a member at once about their new notices in the groups they want at once (if any are still unread
    and not emailed about: several close together make one email)."""
    _send_activity(send_activity_email, {"user_id": user_id}, attempt, user_id=user_id, frequency=Frequency.IMMEDIATELY)


@task(takes_context=True)
def send_digest(context: TaskContext, user_id: int, period: str, attempt: int = 1) -> None:
    """Email a member their daily or weekly summary: how many notices are new in the groups set to `period`."""
    if period not in DIGEST_PERIODS:
        raise ValueError(f"Not a digest period: {period!r}")
    _send_activity(send_digest, {"user_id": user_id, "period": period}, attempt, user_id=user_id, frequency=period)


def _send_activity(task_obj, kwargs: dict, attempt: int, *, user_id: int, frequency: str) -> bool:
    """Send one activity email to `user_id` about their unemailed notices in groups set to `frequency`, then mark
    them emailed. Returns whether an email went. A failed send leaves them unmarked for the retry."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None or not user.is_approved_member:
        return False
    groups = [group for group, chosen in selectors.preferences_for(user).items() if chosen == frequency]
    started = timezone.now()
    candidates = selectors.unemailed_notices(user, groups).filter(created_at__lte=started)
    scanned = list(candidates.select_related("actor")[:EMAIL_SCAN])
    if not scanned:
        return False
    # Only what the member may still see counts; what was taken down since is not "new activity".
    visible = [n for n, shown in zip(scanned, registry.resolve(user, scanned), strict=True) if shown is not None]
    if not visible:
        return False
    told_of = {group_for_kind(n.kind) for n in visible}
    message = activity_email(
        user=user,
        count=len(visible),
        more=len(scanned) == EMAIL_SCAN,
        frequency=frequency,
        group=told_of.pop() if len(told_of) == 1 else ALL,
    )
    send_or_retry(task_obj, kwargs, attempt, message, what=NOTIFICATION_EMAIL)
    candidates.filter(pk__lte=max(n.pk for n in scanned)).update(emailed_at=timezone.now())
    return True
