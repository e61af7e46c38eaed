"""Nothing typed is lost (issue 8): a message sent while the connection is down, or whose socket drops before the
server answers, stays on the page as "not sent yet", is sent again after the reconnect and lands once; a refused
one says so and keeps its text."""

import re

import pytest
from playwright.sync_api import expect

from chat import services
from chat.models import Message
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.chat.factories import RoomFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

# Sends the next `send` frame, then drops the socket at once: the page never sees the server's answer.
DROP_AFTER_NEXT_SEND = """
() => {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    send.call(this, data);
    if (!window.droppedOnce && JSON.parse(data).type === "send") {
      window.droppedOnce = true;
      this.close();
    }
  };
}
"""


def _open_room(page, live_server, user, room):
    sign_in(page, live_server, user)
    page.goto(live_server.url + f"/chat/{room.slug}/")
    expect(page.locator("#chat-status")).to_have_text(re.compile("Connected"))


def _send(page, text):
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send").click()


def test_unsent_messages_wait_on_the_page_and_land_once_after_reconnecting(new_page, live_server):
    room = RoomFactory(name="Evening circle", slug="resend-circle")
    sam, jordan = UserFactory(display_name="Sam R"), UserFactory(display_name="Jordan")
    sam_page, jordan_page = new_page(), new_page()
    _open_room(sam_page, live_server, sam, room)
    _open_room(jordan_page, live_server, jordan, room)
    sam_log = sam_page.get_by_role("log", name="Messages in Evening circle")
    jordan_log = jordan_page.get_by_role("log", name="Messages in Evening circle")
    delivered = sam_log.locator("#messages .chat-message")
    unsent = sam_page.locator(".chat-outbox .unsent")

    # The server goes away; Sam writes anyway. The text stays on the page, marked as not sent yet.
    live_server.stop()
    expect(sam_page.locator("#chat-status")).to_have_text("reconnecting…")
    _send(sam_page, "Still there? Rough evening.")
    expect(sam_page.get_by_label("Your message")).to_have_value("")
    expect(unsent).to_have_count(1)
    expect(unsent).to_contain_text("Still there? Rough evening.")
    expect(unsent).to_contain_text("Not sent yet. It will go as soon as the connection is back.")
    assert_accessible(sam_page)
    screenshot(sam_page, "chat-not-sent-yet")

    # Back: the page reconnects by itself and sends it; it lands once, for both.
    live_server.start()
    expect(sam_page.locator("#chat-status")).to_have_text(re.compile("Connected"), timeout=30_000)
    expect(delivered.filter(has_text="Still there? Rough evening.")).to_have_count(1)
    expect(unsent).to_have_count(0)
    expect(jordan_log.locator(".chat-message", has_text="Still there? Rough evening.")).to_have_count(1, timeout=30_000)

    # The socket drops right after a send, before the answer: the page sends it again, the server stores it once.
    sam_page.evaluate(DROP_AFTER_NEXT_SEND)
    _send(sam_page, "Thanks for staying up with me.")
    expect(delivered.filter(has_text="Thanks for staying up with me.")).to_have_count(1, timeout=30_000)
    expect(unsent).to_have_count(0)
    expect(jordan_log.locator(".chat-message", has_text="Thanks for staying up with me.")).to_have_count(1)
    assert sam_page.evaluate("window.droppedOnce") is True
    assert list(Message.objects.filter(room=room).order_by("seq").values_list("body", flat=True)) == [
        "Still there? Rough evening.",
        "Thanks for staying up with me.",
    ]


def test_a_refused_message_says_so_and_keeps_its_text(page, live_server):
    room = RoomFactory(name="Morning circle", slug="refused-circle")
    sam = UserFactory(display_name="Sam R")
    moderator = UserFactory(display_name="Alex mod")
    _open_room(page, live_server, sam, room)
    services.mute_member(room=room, member=sam, actor=moderator, minutes=10, reason="cooling off")

    _send(page, "I wanted to say something important")
    failed = page.locator(".chat-outbox .unsent.failed")
    expect(failed).to_contain_text("I wanted to say something important")
    expect(failed).to_contain_text(re.compile(r"Not sent\. You can read this room but not write in it"))
    expect(page.locator("#composer-error")).to_contain_text("You can read this room but not write in it")
    assert_accessible(page)
    screenshot(page, "chat-not-sent")

    # The text goes back into the composer, to keep or change.
    failed.get_by_role("button", name="Edit").click()
    expect(page.get_by_label("Your message")).to_have_value("I wanted to say something important")
    expect(page.get_by_label("Your message")).to_be_focused()
    expect(failed).to_have_count(0)
    assert not Message.objects.filter(room=room).exists()
