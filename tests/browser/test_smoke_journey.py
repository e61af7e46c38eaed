from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_visitor_reaches_crisis_help_and_sign_in(page, live_server):
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    assert_accessible(page)
    screenshot(page, "sign-in")
    page.get_by_role("link", name="Get help now").click()
    assert page.get_by_role("heading", name="Get help now").is_visible()
    assert page.get_by_text("1-800-662-4357").first.is_visible()
    assert_accessible(page)


def test_member_signs_in_and_lands_on_home(page, live_server):
    member = UserFactory(display_name="Morgan", approved_at=timezone.now() - timedelta(days=30))
    sign_in(page, live_server, member)
    assert page.get_by_role("heading", name="Welcome back, Morgan").is_visible()
    assert_accessible(page)
    screenshot(page, "home")


def test_account_pages_are_accessible(page, live_server):
    member = UserFactory(display_name="Quinn")
    sign_in(page, live_server, member)
    for path in (
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/accounts/sessions/",
        "/notifications/",
        "/guidelines/",
    ):
        page.goto(live_server.url + path)
        assert page.get_by_role("link", name="Get help now").is_visible()
        assert_accessible(page)


def test_member_sets_up_an_authenticator_app(page, live_server):
    from allauth.mfa.models import Authenticator

    from tests.browser.helpers import PASSWORD, totp_code

    member = UserFactory(display_name="Avery")
    sign_in(page, live_server, member)
    page.goto(live_server.url + "/accounts/2fa/totp/activate/")
    page.get_by_label("Password").fill(PASSWORD)  # allauth asks to confirm the password first
    page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    assert_accessible(page)
    screenshot(page, "mfa-setup")
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/2fa/**")
    assert Authenticator.objects.filter(user=member, type="totp").exists()
    assert_accessible(page)
    # Recovery codes come with the first authenticator, for the day the phone is lost.
    assert Authenticator.objects.filter(user=member, type="recovery_codes").exists()
    page.goto(live_server.url + "/accounts/2fa/recovery-codes/")
    assert page.get_by_role("heading", name="Recovery Codes").is_visible()
    assert_accessible(page)


def test_member_adds_a_security_key(page, live_server):
    """WebAuthn through Chromium's virtual authenticator. Its relying party is the host name, and an IP address
    cannot be one, so this journey uses http://localhost (a secure context like https)."""
    from allauth.mfa.models import Authenticator

    from tests.browser.helpers import PASSWORD

    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    member = UserFactory(display_name="Jules")
    localhost = type("Server", (), {"url": live_server.url.replace("127.0.0.1", "localhost")})
    sign_in(page, localhost, member)
    page.goto(localhost.url + "/accounts/2fa/webauthn/add/")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("My phone")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(lambda url: "/webauthn/add" not in url)
    assert Authenticator.objects.filter(user=member, type="webauthn").exists()
