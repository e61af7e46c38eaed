import re

import pytest
from playwright.sync_api import expect

from chat import services
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.chat.factories import RoomFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def _open_room(page, live_server, user, room):
    sign_in(page, live_server, user)
    page.goto(live_server.url + "/chat/")
    page.get_by_role("link", name=room.name).click()
    expect(page.locator("#chat-status")).to_have_text(re.compile("Connected"))


def test_two_members_chat_live_and_a_dropped_page_catches_up(new_page, live_server):
    room = RoomFactory(name="Evening circle", slug="evening-circle", description="Check in any time.")
    sam = UserFactory(display_name="Sam R")
    jordan = UserFactory(display_name="Jordan")
    # Only members who chose to appear in "who is here" are shown typing.
    services.set_presence_visibility(user=jordan, visible=True)
    services.post_message(room=room, author=jordan, body="Evening, everyone.")

    sam_page, jordan_page = new_page(), new_page()
    _open_room(sam_page, live_server, sam, room)
    _open_room(jordan_page, live_server, jordan, room)
    sam_log = sam_page.get_by_role("log", name="Messages in Evening circle")
    jordan_log = jordan_page.get_by_role("log", name="Messages in Evening circle")
    expect(sam_log).to_contain_text("Evening, everyone.")  # rendered by the server

    # Live both ways.
    jordan_page.get_by_label("Your message").fill("Hi Sam, good to see you **here**")
    jordan_page.get_by_role("button", name="Send").click()
    expect(sam_log.locator("strong", has_text="here")).to_be_visible()
    sam_page.get_by_label("Your message").fill("Hi Jordan! Day 30 today.")
    sam_page.get_by_label("Your message").press("Enter")
    expect(jordan_log).to_contain_text("Hi Jordan! Day 30 today.")
    expect(sam_page.get_by_label("Your message")).to_have_value("")

    # Typing is shown to the other member.
    jordan_page.get_by_label("Your message").type("Cong")
    expect(sam_page.locator("#typing")).to_have_text("Jordan is typing…")

    assert_accessible(sam_page)
    screenshot(sam_page, "chat-room")

    # The server goes away (a deploy, a crash): the page says so and keeps trying.
    live_server.stop()
    expect(sam_page.locator("#chat-status")).to_have_text("reconnecting…")
    # Meanwhile a message is stored without reaching any open page live.
    services.post_message(room=room, author=jordan, body="Sent while you were away")
    live_server.start()

    # The page reconnects by itself and catches up: the message appears once, in order.
    expect(sam_page.locator("#chat-status")).to_have_text(re.compile("Connected"), timeout=30_000)
    expect(sam_log).to_contain_text("Sent while you were away")
    bodies = sam_log.locator(".chat-message .body").all_inner_texts()
    assert bodies == [
        "Evening, everyone.",
        "Hi Sam, good to see you here",
        "Hi Jordan! Day 30 today.",
        "Sent while you were away",
    ]
    expect(jordan_log).to_contain_text("Sent while you were away", timeout=30_000)

    # Still live after the reconnect.
    jordan_page.get_by_label("Your message").fill("Congratulations on 30 days!")
    jordan_page.get_by_role("button", name="Send").click()
    expect(sam_log).to_contain_text("Congratulations on 30 days!")
    assert sam_log.locator(".chat-message").count() == 5

    # Editing and removing one's own message reach the other page.
    own = jordan_log.locator(".chat-message", has_text="Congratulations on 30 days!")
    own.locator("summary", has_text="Edit").click()
    own.get_by_label("Edit this message").fill("Congratulations on 30 days, Sam!")
    own.get_by_role("button", name="Save").click()
    expect(sam_log).to_contain_text("Congratulations on 30 days, Sam!")
    jordan_page.once("dialog", lambda dialog: dialog.accept())
    jordan_log.locator(".chat-message", has_text="Sent while you were away").get_by_role(
        "button", name=re.compile("^Remove")
    ).click()
    expect(sam_log).not_to_contain_text("Sent while you were away")

    sam_page.set_viewport_size({"width": 360, "height": 800})
    assert_accessible(sam_page)
    screenshot(sam_page, "chat-room-phone")


def test_room_list_shows_unread_counts_and_is_accessible(page, live_server):
    room = RoomFactory(name="Open circle", slug="open-circle")
    RoomFactory(name="Tuesday check-in", slug="tuesday", schedule_weekdays="1", opens_at="19:00", closes_at="20:00")
    author = UserFactory(display_name="Jordan")
    for body in ("one", "two", "three"):
        services.post_message(room=room, author=author, body=body)
    reader = UserFactory(display_name="Sam R")
    sign_in(page, live_server, reader)
    page.goto(live_server.url + "/chat/")
    expect(page.get_by_role("heading", name=re.compile("Open circle"))).to_contain_text("3 new")
    expect(page.get_by_text(re.compile("Open Tuesdays, 7 pm–8 pm"))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "chat-rooms")


def test_staff_create_a_scheduled_room_through_accessible_pages(page, live_server):
    from members.models import Role
    from tests.factories import enable_totp

    staff = UserFactory(display_name="Dana team", roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF])
    secret = enable_totp(staff)
    sign_in(page, live_server, staff, totp_secret=secret)
    page.goto(live_server.url + "/chat/manage/")
    assert_accessible(page)
    page.get_by_role("link", name="New room").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Tuesday check-in")
    page.get_by_label("Slug").fill("tuesday-check-in")
    page.get_by_label("Tuesday").check()
    page.get_by_label("Opens at (clinic time)").fill("19:00")
    page.get_by_label("Closes at (clinic time)").fill("20:00")
    page.get_by_role("button", name="Save room").click()
    expect(page.get_by_role("cell", name=re.compile("Open Tuesdays, 7 pm–8 pm"))).to_be_visible()
    assert_accessible(page)


def test_earlier_messages_load_on_request(page, live_server, settings):
    settings.CHAT_FLOOD_LIMITS = ((1000, 30), (1000, 30))  # this process writes the history directly
    room = RoomFactory(name="Open circle", slug="open-circle")
    author = UserFactory(display_name="Jordan")
    for n in range(1, 61):
        services.post_message(room=room, author=author, body=f"Message number {n}")
    _open_room(page, live_server, UserFactory(display_name="Sam R"), room)
    log = page.get_by_role("log", name="Messages in Open circle")
    expect(log.locator(".chat-message")).to_have_count(50)
    page.get_by_role("link", name="Load earlier messages").click()
    expect(log.locator(".chat-message")).to_have_count(60)
    bodies = log.locator(".chat-message .body").all_inner_texts()
    assert bodies == [f"Message number {n}" for n in range(1, 61)]
    expect(page.get_by_role("link", name="Load earlier messages")).to_be_hidden()
