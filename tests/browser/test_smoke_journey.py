import pytest

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
    member = UserFactory(display_name="Morgan")
    sign_in(page, live_server, member)
    assert page.get_by_role("heading", name="Welcome back, Morgan").is_visible()
    assert_accessible(page)
    screenshot(page, "home")
