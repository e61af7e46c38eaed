"""In the browser: what a block looks like in a chat room. Messages between the two, on the page and live,
are one short, muted line with nothing to click, both ways; the page stays accessible.

(The socket tests, test_blocking.py, cover a block made while a page is open: that needs the server's own
channel layer, which this test process does not share.)"""

import re

import pytest
from playwright.sync_api import expect

from chat import services
from members import services as member_services
from tests.browser.helpers import assert_accessible, sign_in
from tests.chat.factories import RoomFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def _open_room(page, server, user, room):
    sign_in(page, server, user)
    page.goto(server.url + room.get_absolute_url())
    expect(page.locator("#chat-status")).to_have_text(re.compile("Connected"))


def _send(page, text):
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")


def test_messages_between_two_members_in_a_block_show_as_one_quiet_line(new_page, live_server):  # noqa: F811
    room = RoomFactory(name="Evening circle", slug="evening-circle")
    sam = UserFactory(display_name="Sam R")
    jordan = UserFactory(display_name="Jordan")
    casey = UserFactory(display_name="Casey")
    services.post_message(room=room, author=jordan, body="Said before the block")
    services.post_message(room=room, author=casey, body="Casey says hi")
    member_services.block_member(blocker=sam, blocked=jordan)

    sam_page, jordan_page = new_page(), new_page()
    _open_room(sam_page, live_server, sam, room)
    _open_room(jordan_page, live_server, jordan, room)
    sam_log = sam_page.get_by_role("log", name="Messages in Evening circle")
    jordan_log = jordan_page.get_by_role("log", name="Messages in Evening circle")

    # The page as the server renders it: Jordan's words are not there, Casey's are.
    collapsed = sam_log.locator(".chat-message.collapsed")
    expect(collapsed).to_have_text("A message from a member you blocked.")
    expect(sam_log).not_to_contain_text("Said before the block")
    expect(sam_log).to_contain_text("Casey says hi")

    # Live, both ways, and with nothing to report, edit or remove on the collapsed lines.
    _send(jordan_page, "Said after the block")
    expect(jordan_log).to_contain_text("Said after the block")
    expect(collapsed).to_have_count(2)
    expect(sam_log).not_to_contain_text("Said after the block")
    expect(collapsed.locator("summary, button, a, form")).to_have_count(0)
    _send(sam_page, "Hello room")
    expect(sam_log).to_contain_text("Hello room")
    expect(jordan_log.locator(".chat-message.collapsed")).to_have_text("A message that isn't shown to you.")
    expect(jordan_log).not_to_contain_text("Hello room")
    assert_accessible(sam_page)
