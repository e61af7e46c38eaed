import json
import re
from pathlib import Path

import pytest

from members.models import User
from tests.browser.helpers import PASSWORD, assert_accessible, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_a_member_renames_turns_presence_on_blocks_exports_and_closes_their_account(new_page, live_server, tmp_path):
    sam = UserFactory(display_name="Sam R")
    jordan = UserFactory(display_name="Jordan")

    # Sam finds their space from the header.
    page = new_page()
    sign_in(page, live_server, sam)
    page.get_by_role("link", name="Your space").click()
    page.wait_for_url(re.compile(r"/me/$"))
    assert page.get_by_role("heading", name="Your space", exact=True).is_visible()
    assert_accessible(page)
    screenshot(page, "me")

    # A new display name, by the sign-up rules: a taken one is refused with a clear message first.
    page.get_by_role("textbox", name="Display name").fill("jordan")
    page.get_by_role("button", name="Change my name").click()
    assert page.get_by_text("That name is already taken. Please choose another.").is_visible()
    assert_accessible(page)
    page.get_by_role("textbox", name="Display name").fill("Sam Rivers")
    page.get_by_role("button", name="Change my name").click()
    assert page.get_by_text("Your display name is now Sam Rivers.").is_visible()
    assert page.locator(".who").get_by_text("Sam Rivers").is_visible()

    # Presence in chat is off until Sam turns it on.
    presence = page.get_by_role("checkbox", name="Show others when I'm in a chat room")
    assert not presence.is_checked()
    presence.check()
    page.get_by_role("button", name="Save my settings").click()
    assert page.get_by_text("Saved your settings.").is_visible()
    assert page.get_by_role("checkbox", name="Show others when I'm in a chat room").is_checked()
    assert User.objects.get(pk=sam.pk).show_presence

    # Sam blocks Jordan from Jordan's profile, after a page that says what it does.
    page.goto(f"{live_server.url}/members/{jordan.pk}/")
    page.get_by_role("link", name="Block this member").click()
    assert page.get_by_role("heading", name="Block Jordan?").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Block Jordan").click()
    assert page.get_by_text("You blocked this member.").is_visible()
    assert_accessible(page)

    # Jordan sees a plain profile, nothing more.
    other = new_page()
    sign_in(other, live_server, jordan)
    other.goto(f"{live_server.url}/members/{sam.pk}/")
    assert other.get_by_text("There's nothing to show here.").is_visible()

    # The block is listed in Sam's space, with a way to undo it.
    page.get_by_role("link", name="Your space").click()
    assert page.get_by_role("button", name="Unblock Jordan").is_visible()

    # A copy of everything Sam wrote and set.
    page.get_by_role("link", name="Download a copy of everything you wrote and set").click()
    assert_accessible(page)
    page.get_by_role("button", name="Prepare my copy").click()
    link = page.get_by_role("link", name="Download as data (JSON)")
    assert link.is_visible()
    assert_accessible(page)
    screenshot(page, "me-export")
    with page.expect_download() as download:
        link.click()
    data = json.loads(Path(download.value.path()).read_text())
    assert data["account"]["profile"]["display_name"] == "Sam Rivers"
    assert data["account"]["settings"]["show_presence_in_chat"] is True

    # Closing the account: the password first, then a choice about posts and messages.
    page.get_by_role("link", name="Back to your space").click()
    page.get_by_role("link", name="Close your account").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/me/delete/$"))
    assert page.get_by_role("heading", name="Close your account").is_visible()
    assert_accessible(page)
    screenshot(page, "me-delete")
    page.get_by_role("button", name="Close my account for good").click()
    assert page.get_by_text("Please choose what happens to your posts and messages.").is_visible()
    page.get_by_label("Keep them, signed “Former member”, so that conversations still make sense").check()
    page.get_by_label("I understand that this closes my account for good and can't be undone").check()
    page.get_by_role("button", name="Close my account for good").click()
    assert page.get_by_role("heading", name="Your account is closed").is_visible()
    assert_accessible(page)

    erased = User.objects.get(pk=sam.pk)
    assert not erased.is_active and erased.display_name == f"Former member {sam.pk}"
    # Signed out: the next page asks for a sign-in, and the old details no longer work.
    page.goto(live_server.url + "/me/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Email").fill(sam.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert "/accounts/login/" in page.url
