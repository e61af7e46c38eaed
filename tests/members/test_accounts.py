from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from tests.factories import UserFactory


def test_password_reset_does_not_reveal_whether_an_account_exists(client, member, django_capture_on_commit_callbacks):
    # Account emails leave after the request's commit (members.tasks); the test runs those callbacks.
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password/reset/", {"email": member.email}, follow=True)
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    # Only the real account gets the reset link; the stranger's address gets nothing that confirms membership.
    recipients = [m.to[0] for m in mail.outbox]
    assert member.email in recipients
    reset = next(m for m in mail.outbox if m.to == [member.email])
    assert "recovery" not in reset.body.lower() and "clinic" not in reset.subject.lower()


def test_sign_up_with_a_taken_email_does_not_say_so(client, member, staff):
    from members.services import create_invitation

    invitation = create_invitation(actor=staff, send=False)
    response = client.post(
        "/accounts/signup/",
        {
            "code": invitation.code,
            "display_name": "Another",
            "email": member.email,
            "password1": "a-Long-unusual-passphrase-42",
            "password2": "a-Long-unusual-passphrase-42",
            "year_of_birth": "1990",
            "accept_guidelines": "on",
            "accept_privacy": "on",
        },
    )
    # The same answer as a new sign-up: off to "check your email"; nothing new is created.
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    from members.models import User

    assert User.objects.filter(email__iexact=member.email).count() == 1
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_failed_sign_ins_are_rate_limited(client, member, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,3/5m/key"}
    pages = [
        client.post("/accounts/login/", {"login": member.email, "password": "wrong"}).content.decode() for _ in range(4)
    ]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]
    # Even the right password is refused until the window passes.
    right = client.post("/accounts/login/", {"login": member.email, "password": "correct-horse-battery"})
    assert "Too many failed login attempts" in right.content.decode()


def test_member_sees_own_sessions_and_signs_out_the_others(member):
    laptop, phone = Client(), Client()
    for c in (laptop, phone):
        c.post("/accounts/login/", {"login": member.email, "password": "correct-horse-battery"})
    assert Session.objects.count() == 2
    page = laptop.get("/accounts/sessions/")
    assert page.status_code == 200
    laptop.post("/accounts/sessions/")  # "Sign out other sessions"
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200


def test_email_change_needs_verification_before_it_counts(member_client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post("/accounts/email/", {"action_add": "", "email": "new.address@example.org"})
    member.refresh_from_db()
    assert member.email != "new.address@example.org"
    assert any("new.address@example.org" in m.to for m in mail.outbox)


def test_account_pages_use_the_site_layout(member_client):
    for path in ("/accounts/email/", "/accounts/password/change/", "/accounts/2fa/", "/accounts/sessions/"):
        html = member_client.get(path).content.decode()
        assert "Get help now" in html and 'id="main"' in html, path


def test_unverified_member_cannot_sign_in(client, db):
    person = UserFactory(email_verified=False)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=person).update(verified=False)
    client.post("/accounts/login/", {"login": person.email, "password": "correct-horse-battery"})
    assert client.get("/").status_code == 302
