import re

import pytest

from members.models import Role
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.factories import UserFactory, enable_totp

pytestmark = pytest.mark.browser


def test_staff_invites_and_the_alumnus_joins(new_page, live_server):
    staff = UserFactory(display_name="Dana team", roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF])
    secret = enable_totp(staff)

    # Staff sign in with their authenticator app and invite an alumnus by email.
    staff_page = new_page()
    sign_in(staff_page, live_server, staff, totp_secret=secret)
    staff_page.goto(live_server.url + "/staff/invitations/")
    assert_accessible(staff_page)
    staff_page.get_by_label("Email address (optional)").fill("casey@example.org")
    staff_page.get_by_label("Relapse Prevention").check()
    staff_page.get_by_role("button", name="Create invitation").click()
    message = staff_page.get_by_role("status").inner_text()
    code = re.search(r"code ([A-Z0-9]{10})", message).group(1)
    assert_accessible(staff_page)
    screenshot(staff_page, "staff-invitations")
    invitation_mail = next(m for m in live_server.mail() if code in m)
    assert "Subject: Your invitation" in invitation_mail

    # The alumnus signs up on a phone with the code from the email.
    page = new_page(phone=True)
    page.goto(live_server.url + "/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("Invitation code").fill(code)
    page.get_by_label("Display name").fill("Casey")
    page.get_by_label("Email").fill("casey@example.org")
    page.get_by_label("Password", exact=True).fill("a-Long-unusual-passphrase-42")
    page.get_by_label("Password (again)").fill("a-Long-unusual-passphrase-42")
    page.get_by_label("Year of birth").fill("1990")
    page.get_by_label("I have read and accept the community guidelines").check()
    page.get_by_label("I have read and accept the privacy consent").check()
    screenshot(page, "signup-phone")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert_accessible(page)

    # The verification link arrives by email; following it confirms the address.
    verify_mail = next(m for m in reversed(live_server.mail()) if "/accounts/confirm-email/" in m)
    link = re.search(r"http://\S+/accounts/confirm-email/\S+", verify_mail).group(0)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()

    # Confirming in the browser that signed up signs Casey in, straight to a first-visit home.
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", name="Welcome, Casey").is_visible()
    assert_accessible(page)
    screenshot(page, "home-phone")
