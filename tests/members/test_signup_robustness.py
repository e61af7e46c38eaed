"""Sign-up never half-writes and never answers 500 (issue 8, item 11).

Everything is validated before anything is written; emails leave after commit through a task; a mail server
that fails is logged, not shown; and sign-ups racing on one code, name or email get the form's usual answer.
"""

import logging
import smtplib
import threading

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test import Client

from members.forms import SignupForm
from members.models import ConsentRecord, Invitation, User
from members.services import create_invitation
from tests.factories import UserFactory, programme_group
from tests.members.signup_data import signup_data


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def invitation(staff):
    return create_invitation(actor=staff, groups=[programme_group("relapse-prevention")], send=False)


def assert_nothing_written(invitation):
    assert not User.objects.exclude(pk__in=[invitation.created_by_id]).filter(display_name="Casey").exists()
    assert not ConsentRecord.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


# --- validate before writing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "casey\u202e@example.org",  # right-to-left override
        "ca\u202esey@example.org",
        "casey@exam\u202eple.org",
        "casey\u2066@example.org",  # left-to-right isolate
        "ca\u200bsey@example.org",  # zero-width space
        "casey\x07@example.org",  # BEL
        "casey\x1b@example.org",  # ESC
    ],
)
def test_email_with_hidden_or_control_characters_is_refused(client, invitation, email):
    response = client.post("/accounts/signup/", signup_data(code=invitation.code, email=email))
    assert response.status_code == 200
    page = response.content.decode()
    assert "invisible characters" in page or "Enter a valid email address" in page
    assert_nothing_written(invitation)
    assert not EmailAddress.objects.filter(email__icontains="sey").exists()


def test_email_over_254_characters_is_refused_not_cut(client, invitation):
    long_email = "a" * 60 + "@" + ".".join(["b" * 60] * 3) + ".example.org"
    assert len(long_email) > 254
    response = client.post("/accounts/signup/", signup_data(code=invitation.code, email=long_email))
    assert response.status_code == 200
    assert "too long" in response.content.decode()
    assert_nothing_written(invitation)
    assert not User.objects.filter(email__startswith="aaaa").exists()


def test_staff_invitation_refuses_hidden_characters_in_the_address(staff_client):
    response = staff_client.post(
        "/staff/invitations/", {"email": "new.person@exam\u202eple.org", "audience": "adult", "days": "14"}
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_adding_an_address_with_hidden_characters_is_refused(member_client, member):
    response = member_client.post("/accounts/email/", {"action_add": "", "email": "new.address@exam\u202eple.org"})
    assert response.status_code == 200
    assert not EmailAddress.objects.filter(user=member).exclude(email=member.email).exists()


# --- email after commit, off the request --------------------------------------------------------------


def test_confirmation_email_leaves_only_after_the_sign_up_commits(
    client, invitation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post("/accounts/signup/", signup_data(code=invitation.code))
        # Inside the request's transaction nothing has been sent yet.
        assert mail.outbox == []
    assert callbacks
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["casey@example.org"]]


def test_a_failing_mail_server_does_not_break_sign_up(
    client, invitation, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.members.test_signup_robustness.FailingBackend"
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", signup_data(code=invitation.code))
    # The sign-up is complete and the page is the normal "check your email" one; the failure is in the log.
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert client.get(response["Location"]).status_code == 200
    user = User.objects.get(email="casey@example.org")
    invitation.refresh_from_db()
    assert invitation.used_by == user
    assert "Sending an account email failed" in caplog.text
    assert "SMTPServerDisconnected" in caplog.text or "Connection unexpectedly closed" in caplog.text


def test_a_failing_mail_server_does_not_break_sending_an_invitation(
    staff_client, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.members.test_signup_robustness.FailingBackend"
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/staff/invitations/", {"email": "new.person@example.org", "audience": "adult", "days": "14"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.person@example.org")
    assert invitation.last_sent_at is None  # not marked as sent
    assert "Sending an account email failed" in caplog.text


def test_a_failed_send_is_retried_later_where_the_backend_can_defer(monkeypatch, settings):
    from members import tasks

    settings.EMAIL_BACKEND = "tests.members.test_signup_robustness.FailingBackend"
    scheduled = []

    class DeferringBackend:
        supports_defer = True

    class Later:
        def __init__(self, run_after):
            self.run_after = run_after

        def enqueue(self, **kwargs):
            scheduled.append((self.run_after, kwargs))

    monkeypatch.setattr(type(tasks.send_email_message), "get_backend", lambda self: DeferringBackend())
    monkeypatch.setattr(type(tasks.send_email_message), "using", lambda self, run_after: Later(run_after))
    message = {"subject": "s", "body": "b", "from_email": "a@example.org", "to": ["x@example.org"]}
    with pytest.raises(smtplib.SMTPServerDisconnected):
        tasks.send_email_message.call(None, message=message, attempt=1)
    assert len(scheduled) == 1 and scheduled[0][1] == {"message": message, "attempt": 2}
    scheduled.clear()
    with pytest.raises(smtplib.SMTPServerDisconnected):
        tasks.send_email_message.call(None, message=message, attempt=tasks.MAX_ATTEMPTS)
    assert scheduled == []  # the last attempt stays recorded as failed


def test_production_queues_tasks_in_the_database(monkeypatch):
    import importlib
    import sys

    for name, value in {
        "DJANGO_SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "a.example",
        "SITE_URL": "https://a.example",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delitem(sys.modules, "community.settings.production", raising=False)
    production = importlib.import_module("community.settings.production")
    monkeypatch.delitem(sys.modules, "community.settings.production")
    assert production.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in production.INSTALLED_APPS and production.EMAIL_TIMEOUT > 0


# --- races: the loser gets the form's usual answer ----------------------------------------------------


@pytest.fixture
def race(monkeypatch):
    """Let another sign-up commit between this one's validation and its write (the window a race uses)."""

    def arrange(competitor):
        original_clean = SignupForm.clean
        done = []

        def clean_then_lose_the_race(self):
            cleaned = original_clean(self)
            if not done:
                done.append(True)
                competitor()
            return cleaned

        monkeypatch.setattr(SignupForm, "clean", clean_then_lose_the_race)

    return arrange


def test_race_on_one_invitation_code(client, invitation, race):
    other = UserFactory(display_name="Winner")
    race(lambda: Invitation.objects.filter(pk=invitation.pk).update(used_at=other.date_joined, used_by=other))
    response = client.post("/accounts/signup/", signup_data(code=invitation.code))
    assert response.status_code == 200
    assert "just been used" in response.content.decode()
    assert not User.objects.filter(email="casey@example.org").exists()
    assert not ConsentRecord.objects.exists()


def test_race_on_one_display_name(client, invitation, race):
    race(lambda: UserFactory(display_name="casey"))
    response = client.post("/accounts/signup/", signup_data(code=invitation.code))
    assert response.status_code == 200
    assert "already taken" in response.content.decode()
    assert not User.objects.filter(email="casey@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_race_on_one_email(client, invitation, race, django_capture_on_commit_callbacks):
    race(lambda: UserFactory(email="casey@example.org", display_name="Early bird"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", signup_data(code=invitation.code))
    # The same answer as signing up with a known address: "check your email", nothing created or revealed.
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email__iexact="casey@example.org").count() == 1
    invitation.refresh_from_db()
    assert invitation.used_at is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("clash", ["code", "display_name", "email"])
def test_four_simultaneous_sign_ups_never_give_a_500(clash, staff):
    """Real threads, each its own connection; on SQLite writers queue (or fail the same way) so run on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that lets four writers race (run with DATABASE_URL on PostgreSQL)")
    invitation = create_invitation(actor=staff, groups=[programme_group("relapse-prevention")], send=False)
    codes = [invitation.code] + [create_invitation(actor=staff, send=False).code for _ in range(3)]
    results = []
    barrier = threading.Barrier(4)

    def sign_up(i: int) -> None:
        data = signup_data(
            code=invitation.code if clash == "code" else codes[i],
            display_name="Casey" if clash == "display_name" else f"Casey {i}",
            email="casey@example.org" if clash == "email" else f"casey{i}@example.org",
        )
        client = Client(raise_request_exception=False)
        barrier.wait()
        try:
            results.append(client.post("/accounts/signup/", data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 500 not in results
    if clash == "email":
        assert User.objects.filter(email="casey@example.org").count() == 1
    elif clash == "display_name":
        assert User.objects.filter(display_name__iexact="casey").count() == 1
        assert results.count(302) == 1
    else:
        assert Invitation.objects.filter(pk=invitation.pk, used_at__isnull=False).count() == 1
        assert results.count(302) == 1
