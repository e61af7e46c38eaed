"""A newcomer's first visit, at desktop and phone size: sign-in, joining from the invitation email's link to the
first home page, and the pages for an address that does not exist or is not open to them."""

import re

import pytest
from django.core import mail

from chat import demo as chat_demo
from forum import demo as forum_demo
from members import demo as members_demo
from members.models import Role
from members.services import create_invitation
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.factories import UserFactory, programme_group

pytestmark = pytest.mark.browser
PASSPHRASE = "a-Long-unusual-passphrase-42"


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_sign_in_page_speaks_to_a_newcomer(new_page, live_server, phone):
    page = new_page(phone=phone)
    page.goto(live_server.url + "/accounts/login/")
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert page.get_by_text("ask the clinic team for an invitation").is_visible()
    assert page.get_by_text("sign up first").count() == 0
    assert page.get_by_role("link", name="Get help now").is_visible()
    assert page.get_by_label("Keep me signed in on this device").is_visible()
    assert_accessible(page)
    _no_sideways_scroll(page)
    screenshot(page, "sign-in-phone" if phone else "sign-in")


def test_joining_from_the_invitation_link_to_the_first_home(new_page, live_server):
    members_demo.seed()
    forum_demo.seed()
    chat_demo.seed()
    staff = UserFactory(roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF])
    create_invitation(
        actor=staff, groups=[programme_group("womens-mental-wellness")], email="casey@example.org", send=True
    )
    # The invitation leaves from this (test) process, into Django's test outbox; the server's mail goes to files.
    invitation_mail = next(m for m in mail.outbox if m.subject == "Your invitation")
    link = re.search(r"https?://\S+/accounts/signup/\?code=[A-Za-z0-9-]+", invitation_mail.body).group(0)

    page = new_page(phone=True)
    page.goto(live_server.url + link[link.index("/accounts/") :])
    assert page.get_by_label("Invitation code").input_value()  # filled in from the link
    assert_accessible(page)
    _no_sideways_scroll(page)
    page.get_by_label("Display name").fill("Casey")
    page.get_by_label("Email").fill("casey@example.org")
    page.get_by_label("Password", exact=True).fill(PASSPHRASE)
    page.get_by_label("Password (again)").fill(PASSPHRASE)
    page.get_by_label("Year of birth").fill("1990")
    page.get_by_label("I have read and accept the community guidelines").check()
    page.get_by_label("I have read and accept the privacy consent").check()
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert_accessible(page)

    verify_mail = next(m for m in reversed(live_server.mail()) if "/accounts/confirm-email/" in m)
    confirm = re.search(r"http://\S+/accounts/confirm-email/\S+", verify_mail).group(0)
    page.goto(confirm)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()

    # Signed in at once, and greeted as a newcomer with their own group's spaces first.
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", name="Welcome, Casey").is_visible()
    assert page.get_by_role("heading", name="Our guidelines, in two lines").is_visible()
    own = page.get_by_role("region", name="Your group's spaces")
    assert own.get_by_role("link", name="Women's Mental Wellness alumni").count() == 2  # category and room
    assert page.get_by_text("Relapse Prevention alumni").count() == 0
    assert_accessible(page)
    _no_sideways_scroll(page)
    screenshot(page, "home-phone")

    desktop = new_page()
    sign_in(desktop, live_server, type("Casey", (), {"email": "casey@example.org"}), password=PASSPHRASE)
    assert desktop.get_by_role("heading", name="Welcome, Casey").is_visible()
    assert_accessible(desktop)
    screenshot(desktop, "first-home")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_missing_page_and_a_closed_one_keep_the_site_and_a_way_back(new_page, live_server, phone):
    member = UserFactory(display_name="Morgan")
    page = new_page(phone=phone)
    sign_in(page, live_server, member)

    response = page.goto(live_server.url + "/forum/no-such-category/")
    assert response.status == 404
    assert page.get_by_role("heading", name="We couldn't find that page").is_visible()
    assert page.get_by_role("link", name="Back to home").is_visible()
    assert page.get_by_role("link", name="Get help now").first.is_visible()
    assert_accessible(page)
    _no_sideways_scroll(page)
    screenshot(page, "not-found-phone" if phone else "not-found")

    # Team pages are closed to members: the site's 403 page, not a bare one.
    response = page.goto(live_server.url + "/staff/invitations/")
    assert response.status == 403
    assert page.get_by_role("heading", name="This page is not open to your account").is_visible()
    page.get_by_role("link", name="Back to home").click()
    assert page.get_by_role("heading", name="Welcome, Morgan").is_visible()
    assert_accessible(page)
