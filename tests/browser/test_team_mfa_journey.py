"""A staff member with an authenticator app: no path reaches a team page without the code (issue 7).

Team pages: /staff/..., /moderation/..., /cms/ (Wagtail), /django-admin/. They are tried as a visitor, after the
password alone (the authenticator step still pending), through Wagtail's and Django's own sign-in addresses,
and only then with the code.
"""

import pytest

from members.models import Role
from tests.browser.helpers import PASSWORD, assert_accessible, screenshot, totp_code
from tests.factories import UserFactory, enable_totp

pytestmark = pytest.mark.browser

TEAM_PAGES = [
    "/staff/members/",
    "/staff/invitations/",
    "/staff/approvals/",
    "/moderation/",
    "/forum/manage/",
    "/chat/manage/",
    "/cms/",
    "/cms/pages/",
    "/cms/users/",
    "/django-admin/",
    "/django-admin/members/user/",
]
SIDE_DOORS = ["/cms/login/", "/django-admin/login/", "/resources/_util/login/"]


def _lands_outside_team_pages(page, live_server, path: str) -> str:
    page.goto(live_server.url + path)
    landed = page.url.removeprefix(live_server.url)
    assert landed.startswith(("/accounts/login/", "/accounts/2fa/authenticate/")), (path, landed)
    return landed


def _password_only(page, live_server, user) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")


def _post_credentials_to_side_doors(page, live_server, user) -> None:
    """What an attacker with the password would try: Wagtail's and Django's own forms, posted directly."""
    csrf = next((c["value"] for c in page.context.cookies() if c["name"] == "csrftoken"), "")
    for door in SIDE_DOORS:
        response = page.request.post(
            live_server.url + door,
            form={"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf},
            headers={"Referer": live_server.url + door},
            max_redirects=0,
        )
        assert response.status in (302, 403), (door, response.status)
        if response.status == 302:
            assert response.headers["location"].startswith("/accounts/login/"), door


def test_a_totp_protected_staff_member_reaches_team_pages_only_with_the_code(new_page, live_server):
    staff = UserFactory(display_name="Dana team", roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF], teen_cleared=True)
    secret = enable_totp(staff)
    page = new_page()

    # As a visitor: every team page sends to the one sign-in page.
    for path in TEAM_PAGES + SIDE_DOORS:
        assert _lands_outside_team_pages(page, live_server, path).startswith("/accounts/login/")
    assert page.get_by_text("After five wrong passwords for one account").is_visible()
    assert_accessible(page)

    # Password given, code not yet: still no team page, whichever door is tried.
    _password_only(page, live_server, staff)
    assert_accessible(page)
    screenshot(page, "team-sign-in-code-step")
    _post_credentials_to_side_doors(page, live_server, staff)
    for path in TEAM_PAGES + SIDE_DOORS:
        _lands_outside_team_pages(page, live_server, path)

    # With the code: the team pages open. (The sign-in waits at its code step all along.)
    page.goto(live_server.url + "/accounts/login/")
    if "/accounts/2fa/authenticate/" not in page.url:
        _password_only(page, live_server, staff)
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.goto(live_server.url + "/staff/members/")
    assert page.url.endswith("/staff/members/")
    assert_accessible(page)
    response = page.goto(live_server.url + "/cms/")
    assert response.status == 200 and page.url.endswith("/cms/")
    # Signed-in pages are kept out of the browser's cache (shared computers).
    assert response.headers["cache-control"] == "private, no-store"
    # Staff edit pages in Wagtail, but people and roles only on the project's own staff pages.
    assert page.goto(live_server.url + "/cms/users/").status == 403
    assert page.goto(live_server.url + "/django-admin/").status == 403


def test_a_signed_in_member_cannot_become_staff_through_another_door(new_page, live_server):
    """The review's attack: a member, signed in, posts a staff member's password to Wagtail's page-privacy login."""
    from tests.browser.helpers import sign_in

    staff = UserFactory(display_name="Dana team", roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF])
    enable_totp(staff)
    member = UserFactory(display_name="Morgan")
    page = new_page()
    sign_in(page, live_server, member)
    _post_credentials_to_side_doors(page, live_server, staff)
    for path in TEAM_PAGES:
        response = page.goto(live_server.url + path)
        landed = page.url.removeprefix(live_server.url)
        refused = response.status in (403, 404) or landed.startswith("/accounts/")
        assert refused, (path, response.status, landed)
    page.goto(live_server.url + "/")
    assert page.get_by_text("Signed in as Morgan").is_visible()


def test_a_superuser_reaches_the_django_admin_only_with_the_code(new_page, live_server):
    admin = UserFactory(display_name="Site admin", is_superuser=True, is_staff=True)
    secret = enable_totp(admin)
    page = new_page()
    _password_only(page, live_server, admin)
    _post_credentials_to_side_doors(page, live_server, admin)
    for path in ("/django-admin/", "/django-admin/members/user/", "/cms/users/"):
        _lands_outside_team_pages(page, live_server, path)
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    assert page.goto(live_server.url + "/django-admin/").status == 200


def test_a_team_member_without_an_authenticator_is_shown_the_way(new_page, live_server):
    moderator = UserFactory(display_name="Robin mod", roles=[Role.MEMBER, Role.MODERATOR])
    page = new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(moderator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    notice = page.get_by_text("Your team tools are waiting for two-factor authentication")
    assert notice.is_visible()
    assert_accessible(page)
    screenshot(page, "team-mfa-banner")
    page.goto(live_server.url + "/staff/members/")
    assert page.url.endswith("/accounts/2fa/")
    assert page.get_by_role("status").get_by_text("set up two-factor authentication").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Set up two-factor authentication").click()
    assert page.url.endswith("/accounts/2fa/")


def test_static_files_carry_the_privacy_headers(page, live_server):
    response = page.request.get(live_server.url + "/static/css/site.css")
    assert response.ok
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    assert "camera=()" in response.headers["permissions-policy"]
