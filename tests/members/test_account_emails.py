"""Account emails (allauth's: confirm, reset, change, notices) in the site's own discreet words, and allauth's
account pages in the site's layout.

Every email: the community's name from settings at the start of the subject and at the end of the body; no host
name, email address, member's name or "Hello from" in the words (the suite-wide guard in tests/conftest.py checks
the same for every email any test sends; these tests make sure each kind is sent and read at least once).
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from tests import email_guard
from tests.members.signup_data import signup_data

COMMUNITY = "Harbour Friends"


@pytest.fixture(autouse=True)
def _community_name(settings):
    # A name of our own, so that the tests see it comes from settings, not from a template or the Site.
    settings.COMMUNITY_NAME = COMMUNITY


def _assert_discreet(message, *names: str) -> None:
    assert message.subject.startswith(f"{COMMUNITY}: "), message.subject
    assert message.body.rstrip().endswith(COMMUNITY), message.body
    assert email_guard.problems(message.subject, [message.body], email_guard.database_words()) == []
    words = email_guard.URL.sub(" ", message.subject + "\n" + message.body)
    for name in names:
        assert name.lower() not in words.lower()
    for host in ("testserver", "127.0.0.1", "localhost", "example.com"):
        assert host not in words
    assert "Hello from" not in words and "Thank you for using" not in words


def _link(message, path: str) -> str:
    return re.search(rf"https?://\S+{re.escape(path)}\S*", message.body).group(0)


def test_sign_up_confirmation_email(client, staff, django_capture_on_commit_callbacks):
    from members.services import create_invitation

    invitation = create_invitation(actor=staff, send=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/", signup_data(code=invitation.code, display_name="Marigold", email="new@example.org")
        )
    assert response.status_code == 302
    [message] = [m for m in mail.outbox if m.to == ["new@example.org"]]
    _assert_discreet(message, "Marigold", "new@example.org")
    assert message.subject == f"{COMMUNITY}: Please confirm your email address"
    # The link is the one place the address may appear, and it works.
    link = _link(message, "/accounts/confirm-email/")
    assert client.get(link).status_code == 200


def test_password_reset_email(client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": member.email})
    [message] = mail.outbox
    _assert_discreet(message, member.display_name, member.email)
    assert "reset the password" in message.body
    link = _link(message, "/accounts/password/reset/key/")
    assert client.get(link, follow=True).status_code == 200


def test_password_reset_for_an_unknown_address_says_nothing_about_anyone(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "stranger@example.org"})
    [message] = mail.outbox
    _assert_discreet(message, "stranger@example.org")
    assert "no account here" in message.body
    # It sends a stranger nowhere: no link at all.
    assert "http" not in message.body


def test_sign_up_with_a_taken_address_sends_a_calm_note_to_its_owner(
    client, member, staff, django_capture_on_commit_callbacks
):
    from members.services import create_invitation

    invitation = create_invitation(actor=staff, send=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", signup_data(code=invitation.code, display_name="Other", email=member.email))
    [message] = mail.outbox
    assert message.to == [member.email]
    _assert_discreet(message, member.display_name, "Other", member.email)
    assert "you already have one" in message.body and "/accounts/password/reset/" in message.body


def test_sign_in_code_for_confirming_it_is_you(member_client, member, django_capture_on_commit_callbacks):
    # "Send me a sign-in code", offered before a change to sign-in details.
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post("/accounts/reauthenticate/code/", {"recipient": member.email})
    [message] = mail.outbox
    _assert_discreet(message, member.display_name, member.email)
    assert message.subject == f"{COMMUNITY}: Your sign-in code"
    assert re.search(r"^    \S{4,}$", message.body, re.MULTILINE), "the code stands on a line of its own"


def test_email_change_emails(member_client, member, django_capture_on_commit_callbacks):
    old = member.email
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post("/accounts/email/", {"action_add": "", "email": "moved@example.org"})
    [confirm] = mail.outbox
    assert confirm.to == ["moved@example.org"]
    _assert_discreet(confirm, member.display_name, old, "moved@example.org")
    key_link = _link(confirm, "/accounts/confirm-email/")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(key_link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=member, primary=True).email == "moved@example.org"
    # The old address hears that it changed (in case it was not the member), without either address in the words.
    notices = [m for m in mail.outbox if m.to == [old]]
    assert len(notices) == 1
    _assert_discreet(notices[0], member.display_name, old, "moved@example.org")
    assert "email address for your account was changed" in notices[0].body
    assert "/accounts/password/reset/" in notices[0].body  # what to do if it was not them


def test_password_changed_notice(member_client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            "/accounts/password/change/",
            {
                "oldpassword": "correct-horse-battery",
                "password1": "a-Long-unusual-passphrase-42",
                "password2": "a-Long-unusual-passphrase-42",
            },
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [member.email]
    _assert_discreet(message, member.display_name, member.email)
    assert message.subject == f"{COMMUNITY}: Your password was changed"
    assert "password for your account was changed" in message.body
    # No device or IP details in the words (someone else may read them); just when, and what to do if not you.
    assert "IP" not in message.body and "Browser" not in message.body
    assert "/accounts/password/reset/" in message.body


def test_a_wrong_current_password_changes_nothing_and_sends_nothing(
    member_client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            "/accounts/password/change/",
            {
                "oldpassword": "not-it",
                "password1": "a-Long-unusual-passphrase-42",
                "password2": "a-Long-unusual-passphrase-42",
            },
        )
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    member.refresh_from_db()
    assert member.check_password("correct-horse-battery")
    assert mail.outbox == []


def test_the_guard_catches_what_allauth_used_to_send(member):
    """The suite-wide rule itself: allauth's stock greeting, a host, an address and a name are each caught."""
    words = email_guard.database_words()
    stock = "Hello from testserver!\n\nYou're receiving this email because user Sam has given person0@example.com."
    found = email_guard.problems("[testserver] Please Confirm Your Email Address", [stock], words)
    assert any("Hello from" in p for p in found)
    assert any("host" in p and "testserver" in p for p in found)
    assert any("email address" in p for p in found)
    assert any("member's name" in p and "Sam" in p for p in found)
    # A link may carry the address; the words around it are clean.
    assert email_guard.problems("Harbour Friends: hi", ["Open http://testserver/accounts/x/?a=1 now."], words) == []


@pytest.mark.parametrize(
    "path,heading",
    [
        ("/accounts/email/", "Your email address"),
        ("/accounts/password/change/", "Change your password"),
        ("/accounts/2fa/", "Two-factor authentication"),
        ("/accounts/sessions/", "Signed-in devices"),
    ],
)
def test_account_pages_are_in_the_site_layout(member_client, path, heading):
    html = member_client.get(path).content.decode()
    assert 'class="skip-link"' in html and 'id="main"' in html
    assert f"<h1>{heading}</h1>" in html
    assert html.count("<h1") == 1
    # The way back to the member's own space, and the account menu with this page marked.
    assert 'href="/me/"' in html
    assert f'href="{path}" aria-current="page"' in html
    # allauth's bare defaults are gone: no "Menu:" list, no unlabeled inputs.
    assert "Menu:" not in html


def test_allauths_own_pages_get_the_frame_and_labelled_fields(member_client, member):
    from tests.factories import enable_totp

    # Before a sign-in detail changes, allauth asks for the password: our words, a labelled field.
    page = member_client.get("/accounts/2fa/totp/activate/", follow=True).content.decode()
    assert "<h1>Confirm it is you</h1>" in page and '<label for="id_password">Password</label>' in page
    member_client.post("/accounts/reauthenticate/", {"password": "correct-horse-battery"})
    page = member_client.get("/accounts/2fa/totp/activate/").content.decode()
    assert 'href="/me/"' in page and 'class="skip-link"' in page
    assert '<label for="authenticator_secret">' in page and 'for="id_code"' in page
    enable_totp(member)
    page = member_client.get("/accounts/2fa/recovery-codes/generate/").content.decode()
    assert 'href="/me/"' in page and "<h1>" in page


def test_mfa_notices_are_discreet(member_client, member, django_capture_on_commit_callbacks):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    member_client.post("/accounts/reauthenticate/", {"password": "correct-horse-battery"})
    page = member_client.get("/accounts/2fa/totp/activate/").content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z0-9]+)"', page).group(1)
    import time

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert Authenticator.objects.filter(user=member, type="totp").exists()
    assert mail.outbox, "turning two-factor on sends a notice"
    for message in mail.outbox:
        _assert_discreet(message, member.display_name, member.email)
    assert any(m.subject == f"{COMMUNITY}: Two-factor authentication is on" for m in mail.outbox)
