"""Every email leaves the request as a task: account emails (members), on-call alerts (moderation), notices.

A mail server that is slow or down must never turn a sign-up or a post into a 500 or keep the page waiting: the
request only enqueues, after its transaction commits, and the task does the sending. A failed send is logged;
where the backend can run tasks later (the database backend in production) it is tried again a few times, and
each failed attempt stays recorded as a failed task result.

It lives here, in the lowest app that sends email, because members and moderation both use it and this app may
import neither.
"""

import logging
from datetime import timedelta
from functools import partial

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, task

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Minutes to wait before attempt 2, 3, ...: long enough for a mail server to come back.
RETRY_DELAYS_MINUTES = (1, 5, 30, 120)


def message_to_dict(message: EmailMessage, *, what: str = "an email") -> dict:
    """An email as JSON-safe values, so a task can carry it (task arguments must be JSON). `what` names it in
    the log when sending fails ("an account email")."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers or {}),
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "what": what,
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

    A queue that cannot be reached is logged rather than shown to the person whose action caused the email:
    what they did is already saved.
    """
    transaction.on_commit(partial(enqueue_now, task_obj, kwargs), robust=True)


def enqueue_now(task_obj, kwargs: dict) -> bool:
    """Enqueue at once; a queue that cannot be reached is logged, never raised. Returns whether it was queued."""
    try:
        task_obj.enqueue(**kwargs)
    except Exception:
        logger.exception("Could not queue the task %s.", task_obj.name)
        return False
    return True


def _retry_or_raise(task_obj, kwargs: dict, attempt: int, error: Exception, what: str) -> None:
    """Schedule another attempt where the backend can defer, then re-raise so this attempt is recorded failed."""
    logger.warning("Sending %s failed (attempt %s of %s): %s", what, attempt, MAX_ATTEMPTS, error)
    if attempt < MAX_ATTEMPTS and task_obj.get_backend().supports_defer:
        delay = timedelta(minutes=RETRY_DELAYS_MINUTES[min(attempt, len(RETRY_DELAYS_MINUTES)) - 1])
        try:
            task_obj.using(run_after=timezone.now() + delay).enqueue(**{**kwargs, "attempt": attempt + 1})
        except Exception:
            logger.exception("Could not schedule another attempt for %s.", task_obj.name)
    raise error


def send_or_retry(task_obj, kwargs: dict, attempt: int, message: EmailMessage, *, what: str = "an email") -> None:
    """Send `message` from inside `task_obj`; on failure schedule another attempt (where the backend can) and
    re-raise, so this attempt is recorded as failed. Every email task sends through this. `kwargs` are the
    task's own arguments but `attempt`, to call it again with."""
    try:
        message.send()
    except Exception as exc:
        _retry_or_raise(task_obj, kwargs, attempt, exc, what)


@task(takes_context=True)
def send_email_message(context: TaskContext, message: dict, attempt: int = 1) -> None:
    """Send one prepared email (see `message_to_dict`)."""
    what = message.get("what") or "an email"
    send_or_retry(send_email_message, {"message": message}, attempt, message_from_dict(message), what=what)
