"""A mail server that is down never fails what caused the email: the notice is kept, the failure is logged and
the send is tried again later (where the task backend can defer), and nothing is marked as emailed."""

import logging

import pytest
from django.core import mail

from notifications import tasks
from notifications.email import MAX_ATTEMPTS
from notifications.models import Notification
from notifications.services import notify, set_email_preferences
from tests.forum.factories import make_topic

FAILING = "tests.notifications.conftest.FailingBackend"


def test_a_failing_mail_server_does_not_fail_the_caller(member, member2, settings, caplog, committed):
    settings.EMAIL_BACKEND = FAILING
    set_email_preferences(user=member, choices={"mentions": "immediately"})
    with caplog.at_level(logging.WARNING), committed():
        notice = notify(recipient=member, kind="forum_mention", text="x", actor=member2)
    assert notice is not None and Notification.objects.filter(pk=notice.pk).exists()
    assert "Sending a notification email failed (attempt 1 of 5)" in caplog.text
    # Not marked: the retry (or the next email) still tells of it.
    assert Notification.objects.get(pk=notice.pk).emailed_at is None


def test_a_failing_mail_server_does_not_fail_the_request(
    adult_category, member, member2, member2_client, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    set_email_preferences(user=member, choices={"mentions": "immediately"})
    topic = make_topic(category=adult_category, author=member)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = member2_client.post(f"/forum/t/{topic.pk}/reply/", {"body": "@Sam thinking of you"})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=member, kind="forum_mention").exists()
    assert "Sending a notification email failed" in caplog.text


def test_a_failed_send_is_tried_again_later_and_then_sent(member, member2, settings, monkeypatch, committed):
    settings.EMAIL_BACKEND = FAILING
    set_email_preferences(user=member, choices={"mentions": "immediately"})
    scheduled = []

    class DeferringBackend:
        supports_defer = True

    class Later:
        def __init__(self, run_after):
            self.run_after = run_after

        def enqueue(self, **kwargs):
            scheduled.append((self.run_after, kwargs))

    with committed():
        notice = notify(recipient=member, kind="forum_mention", text="x", actor=member2)
    monkeypatch.setattr(type(tasks.send_activity_email), "get_backend", lambda self: DeferringBackend())
    monkeypatch.setattr(type(tasks.send_activity_email), "using", lambda self, run_after: Later(run_after))
    with pytest.raises(ConnectionRefusedError):
        tasks.send_activity_email.call(None, user_id=member.pk, attempt=1)
    assert [kwargs for _, kwargs in scheduled] == [{"user_id": member.pk, "attempt": 2}]
    scheduled.clear()
    with pytest.raises(ConnectionRefusedError):
        tasks.send_activity_email.call(None, user_id=member.pk, attempt=MAX_ATTEMPTS)
    assert scheduled == []  # the last attempt stays recorded as failed
    # The mail server is back: the retry sends, and marks the notice.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tasks.send_activity_email.call(None, user_id=member.pk, attempt=2)
    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=notice.pk).emailed_at is not None


def test_a_failed_digest_is_recorded_as_a_failed_task(member, member2, settings):
    from django_tasks.base import TaskResultStatus

    settings.EMAIL_BACKEND = FAILING
    notify(recipient=member, kind="forum_mention", text="x", actor=member2)
    result = tasks.send_digest.enqueue(user_id=member.pk, period="daily")
    assert result.status == TaskResultStatus.FAILED
    assert Notification.objects.get(recipient=member).emailed_at is None
