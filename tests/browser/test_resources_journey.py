"""Resources in a real browser: an editor edits a page in /cms/ and submits it for review, a publisher approves it,
a member reads it, and a visitor reads the public crisis page."""

import pytest
from django.contrib.auth.models import Group

from members.models import Role
from resources.models import ResourceIndexPage, ResourcePage
from resources.services import EDITORS, PUBLISHERS
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.factories import UserFactory, enable_totp

pytestmark = pytest.mark.browser

NEW_SUMMARY = "Four quick questions for the moments that sneak up on you."


def _team_member(name: str, email: str, group: str):
    user = UserFactory(display_name=name, email=email, roles=[Role.MEMBER, Role.STAFF])
    user.groups.add(Group.objects.get(name=group))
    return user, enable_totp(user)


def test_an_edit_is_reviewed_published_and_read(new_page, live_server):
    index = ResourceIndexPage.objects.get()
    page = ResourcePage(title="The HALT check", slug="halt", summary="Hungry, angry, lonely, tired.")
    page.body = [("paragraph", "<p>Many slips start when a basic need has been ignored.</p>")]
    index.add_child(instance=page)
    page.save_revision().publish()
    editor, editor_secret = _team_member("Casey editor", "casey@example.com", EDITORS)
    publisher, publisher_secret = _team_member("Pat publisher", "pat@example.com", PUBLISHERS)
    member = UserFactory(display_name="Morgan")

    # The editor changes the summary and submits it for review.
    browser = new_page()
    sign_in(browser, live_server, editor, totp_secret=editor_secret)
    browser.goto(f"{live_server.url}/cms/pages/{page.pk}/edit/")
    browser.get_by_role("textbox", name="Summary").fill(NEW_SUMMARY)
    browser.locator("footer [data-w-dropdown-target='toggle']").first.click()
    assert browser.get_by_role("button", name="Publish", exact=True).count() == 0  # editors cannot publish alone
    browser.get_by_role("button", name="Submit to Resource review").click()
    browser.wait_for_url(lambda url: "/edit/" not in url or "submitted" in url, timeout=15_000)
    page.refresh_from_db()
    assert page.summary != NEW_SUMMARY  # not live yet
    screenshot(browser, "cms-submitted")

    # The publisher approves it from the editor.
    browser = new_page()
    sign_in(browser, live_server, publisher, totp_secret=publisher_secret)
    browser.goto(f"{live_server.url}/cms/pages/{page.pk}/edit/")
    browser.locator("footer [data-w-dropdown-target='toggle']").first.click()
    with browser.expect_navigation():
        browser.get_by_role("button", name="Approve and Publish", exact=True).click()
    page.refresh_from_db()
    assert page.live and page.summary == NEW_SUMMARY

    # A member reads it.
    browser = new_page()
    sign_in(browser, live_server, member)
    browser.goto(f"{live_server.url}/resources/")
    browser.get_by_role("link", name="The HALT check").click()
    assert browser.get_by_text(NEW_SUMMARY).is_visible()
    assert_accessible(browser)
    screenshot(browser, "resource-page")


def test_a_visitor_reads_help_on_a_phone(new_page, live_server):
    browser = new_page(phone=True)
    browser.goto(f"{live_server.url}/help/")
    assert browser.get_by_role("heading", name="Get help now", level=1).is_visible()
    assert browser.get_by_role("link", name="1-800-662-4357").first.is_visible()
    assert_accessible(browser)
    screenshot(browser, "help-phone")


def test_the_resource_index_and_schedule_are_accessible(new_page, live_server):
    from resources import demo

    demo.seed()
    browser = new_page()
    sign_in(browser, live_server, UserFactory(display_name="Jules"))
    for path in ("/resources/", "/resources/?topic=coping-skills", "/resources/meetings/"):
        browser.goto(live_server.url + path)
        assert_accessible(browser)
    screenshot(browser, "meeting-schedule")
