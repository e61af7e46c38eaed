"""On a 390x844 phone: a chat room with its composer in view and slow mode announced, editing a message from its
Markdown source, a forum search that needs stemming, and one moment shown the same in chat and forum."""

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from chat import services as chat_services
from chat.models import Message
from forum import services as forum_services
from forum.models import Post
from members.models import Role
from members.services import set_time_zone
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.chat.factories import RoomFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

MOMENT = datetime(2026, 3, 2, 5, 14, tzinfo=UTC)  # 6:14 a.m. in Berlin, 12:14 a.m. at the clinic (New York)


def assert_no_sideways_scroll(page) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} scrolls sideways: {width} > {inner}"


def assert_in_viewport(page, locator) -> None:
    box = locator.bounding_box()
    viewport = page.viewport_size
    assert box is not None, "not rendered"
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], f"{box} outside {viewport}"
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], f"{box} outside {viewport}"


def test_phone_chat_edit_search_and_times(new_page, live_server):
    staff = UserFactory(display_name="Dana team", roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF])
    sam = UserFactory(display_name="Sam R")
    set_time_zone(user=sam, time_zone="Europe/Berlin")
    jordan = UserFactory(display_name="Jordan")
    room = RoomFactory(
        name="Evening circle", slug="evening-circle", description="Check in any time.", slow_mode_seconds=30
    )
    early = chat_services.post_message(room=room, author=jordan, body="Up early, making tea.").message
    category = forum_services.create_category(actor=staff, name="Everyday recovery", description="Ordinary days.")
    topic = forum_services.create_topic(
        category=category, author=jordan, title="Morning routines", body="Tea first, then a short walk."
    )
    Message.objects.filter(pk=early.pk).update(created_at=MOMENT)
    Post.objects.filter(topic=topic).update(created_at=MOMENT)
    # The server process caches content-type ids, which the search index filters on (see test_forum_journey).
    live_server.restart()

    page = new_page(phone=True)
    sign_in(page, live_server, sam)
    assert_no_sideways_scroll(page)
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 110, f"the header takes {header['height']} px of the phone's screen"

    # The room: slow mode is announced before anything is sent, and the composer is on screen from the start.
    page.goto(live_server.url + "/chat/")
    assert_no_sideways_scroll(page)
    page.get_by_role("link", name="Evening circle").click()
    expect(page.locator("#chat-status")).to_have_text(re.compile("Connected"))
    expect(page.get_by_text("Slow mode: one message every 30 seconds")).to_be_visible()
    assert_in_viewport(page, page.get_by_label("Your message"))
    assert_in_viewport(page, page.get_by_role("button", name="Send"))
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    screenshot(page, "chat-room-phone-composer")

    # One moment reads the same in chat and in the forum, in Sam's zone (Berlin), not the clinic's or the browser's.
    log = page.get_by_role("log", name="Messages in Evening circle")
    expect(log.locator(f"#m-{early.pk} time")).to_have_text("Mar 2, 6:14 a.m.")
    expect(page.locator("#time-zone-name")).to_have_text("Europe/Berlin")

    # A live message: the script writes its time exactly as the server does after a reload.
    page.get_by_label("Your message").fill("I **love** my morning routine, @Jordan")
    page.get_by_label("Your message").press("Enter")
    mine = log.locator(".chat-message.own", has_text="I love my morning routine")
    expect(mine.locator("strong", has_text="love")).to_be_visible()
    live_time = mine.locator("time").inner_text()
    assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d\d [ap]\.m\.", live_time), live_time
    message_id = mine.get_attribute("data-id")
    mine = page.locator(f"#m-{message_id}")
    assert_in_viewport(page, page.get_by_label("Your message"))

    # Editing starts from the source (Markdown and the mention), not from the rendered words.
    mine.locator("summary", has_text="Edit").click()
    box = mine.get_by_label("Edit this message")
    expect(box).to_have_value("I **love** my morning routine, @Jordan")
    box.fill("I **really** love my morning routine, @Jordan")
    mine.get_by_role("button", name="Save").click()
    expect(mine.locator("strong", has_text="really")).to_be_visible()
    expect(mine.locator(".edited")).to_be_visible()
    assert_no_sideways_scroll(page)

    page.reload()
    expect(page.locator("#chat-status")).to_have_text(re.compile("Connected"))
    reloaded = page.locator(f"#m-{message_id}")
    expect(reloaded.locator("time")).to_have_text(live_time)
    expect(reloaded.get_by_label("Edit this message")).to_have_value("I **really** love my morning routine, @Jordan")

    # The same edit without JavaScript's help: the edit page holds the source too.
    page.goto(live_server.url + f"/chat/{room.slug}/messages/{message_id}/edit/")
    expect(page.get_by_label("Your message")).to_have_value("I **really** love my morning routine, @Jordan")
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    # The forum shows the moment of Jordan's post as chat showed Jordan's message.
    page.goto(live_server.url + topic.get_absolute_url())
    expect(page.locator("article time, .post time").first).to_have_text("Mar 2, 2026, 6:14 a.m.")
    assert_no_sideways_scroll(page)

    # Search needs stemming: "routine" finds the topic titled "routines", and the other way round.
    page.goto(live_server.url + "/forum/")
    assert_no_sideways_scroll(page)
    page.get_by_role("searchbox").first.fill("routine")
    page.get_by_role("searchbox").first.press("Enter")
    expect(page.get_by_role("link", name=re.compile("Morning routines"))).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    screenshot(page, "forum-search-stemming-phone")
    page.goto(live_server.url + "/forum/search/?q=routines")
    expect(page.get_by_role("link", name=re.compile("Morning routines"))).to_be_visible()

    # The time-zone page: one labelled choice, the current zone selected.
    page.goto(live_server.url + "/chat/time-zone/")
    expect(page.get_by_label("Show times in")).to_have_value("Europe/Berlin")
    assert_no_sideways_scroll(page)
    assert_accessible(page)


def test_a_member_without_a_zone_gets_the_browsers_once(new_page, live_server):
    room = RoomFactory(name="Open circle", slug="open-circle")
    sam = UserFactory(display_name="Sam R")
    page = new_page(phone=True)
    sign_in(page, live_server, sam)
    browser_zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    page.goto(live_server.url + f"/chat/{room.slug}/")
    expect(page.locator("#chat-status")).to_have_text(re.compile("Connected"))
    sam.refresh_from_db()
    if browser_zone == "America/New_York":  # the clinic's zone: nothing to send
        assert sam.time_zone == ""
        return
    expect(page.locator("#time-zone-name")).to_have_text(browser_zone.replace("_", " "))
    sam.refresh_from_db()
    assert sam.time_zone == browser_zone
