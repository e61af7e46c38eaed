import re

import pytest
from playwright.sync_api import expect

from forum.models import Category
from members.audience import Audience
from members.models import Role
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.factories import UserFactory, enable_totp

pytestmark = pytest.mark.browser


def test_two_members_become_buddies_share_a_goal_nudge_and_talk_privately(new_page, live_server):
    Category.objects.create(name="Daily check-in", slug="check-in", audience=Audience.ADULTS)
    staff = UserFactory(display_name="Dana team", roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF])
    enable_totp(staff)  # the account the daily check-in topic is opened by
    sam = UserFactory(display_name="Sam R")
    jordan = UserFactory(display_name="Jordan")

    # Sam asks Jordan to be buddies, by display name.
    sam_page = new_page()
    sign_in(sam_page, live_server, sam)
    sam_page.goto(live_server.url + "/connections/buddies/")
    assert_accessible(sam_page)
    sam_page.get_by_label("Their display name").fill("Jordan")
    sam_page.get_by_role("button", name="Ask to be buddies").click()
    expect(sam_page.get_by_text("Your request is on its way to Jordan")).to_be_visible()
    expect(sam_page.get_by_text("Jordan: pending")).to_be_visible()

    # Jordan sees the request and accepts.
    jordan_page = new_page()
    sign_in(jordan_page, live_server, jordan)
    jordan_page.goto(live_server.url + "/connections/buddies/")
    expect(jordan_page.get_by_text("would like to be accountability buddies")).to_be_visible()
    assert_accessible(jordan_page)
    jordan_page.get_by_role("button", name="Accept Sam R").click()
    expect(jordan_page.get_by_text("You and Sam R are now buddies.")).to_be_visible()

    # Sam sets a goal shared with Jordan, and checks in on it.
    sam_page.goto(live_server.url + "/me/goals/")
    assert_accessible(sam_page)
    sam_page.get_by_label("Your goal", exact=True).fill("Go to three meetings this week")
    sam_page.get_by_label("Jordan").check()
    sam_page.get_by_role("button", name="Save goal").click()
    expect(sam_page.get_by_text("Your goal is set. Only the buddies you chose can see it.")).to_be_visible()
    goal = sam_page.locator(".goal", has_text="Go to three meetings this week")
    goal.get_by_label("Done").check()
    goal.get_by_label("A note (optional)").fill("Tuesday evening group")
    goal.get_by_role("button", name=re.compile("^Check in")).click()
    expect(sam_page.get_by_text("Checked in: done.")).to_be_visible()
    expect(sam_page.get_by_text("1 check-in this month (1 done).")).to_be_visible()
    assert_accessible(sam_page)
    screenshot(sam_page, "goals")

    # Sam's daily check-in: a private mood, a line for the community, and the chart drawn by the server.
    sam_page.goto(live_server.url + "/me/goals/check-in/")
    sam_page.get_by_label("4: Good").check()
    sam_page.get_by_label("One line for today's check-in (optional)").fill("Walked the dog before work.")
    sam_page.get_by_role("button", name="Check in").click()
    expect(sam_page.get_by_text("Your line is in today's check-in topic.")).to_be_visible()
    expect(sam_page.get_by_role("img", name="Your mood over the last 90 days")).to_be_visible()
    assert_accessible(sam_page)
    screenshot(sam_page, "daily-check-in")

    # Jordan sees the shared goal and the check-in, and sends a nudge.
    jordan_page.goto(live_server.url + "/me/goals/")
    shared = jordan_page.locator(".goal", has_text="Sam R: Go to three meetings this week")
    expect(shared).to_contain_text("Tuesday evening group")
    jordan_page.get_by_role("link", name=re.compile("See Sam R's page")).click()
    assert_accessible(jordan_page)
    jordan_page.get_by_role("button", name="Send a “thinking of you”").click()
    expect(jordan_page.get_by_text("Nudge sent.")).to_be_visible()
    expect(jordan_page.get_by_text("You sent a nudge recently.")).to_be_visible()

    # Sam hears of it, discreetly, and sees who on the buddies page.
    sam_page.goto(live_server.url + "/notifications/")
    expect(sam_page.get_by_text("A buddy is thinking of you")).to_be_visible()
    sam_page.goto(live_server.url + "/connections/buddies/")
    expect(sam_page.get_by_text("Jordan is thinking of you")).to_be_visible()

    # Jordan starts a private conversation; Sam finds it on /messages/ and they talk live.
    jordan_page.goto(live_server.url + f"/connections/buddies/{sam.pk}/")
    jordan_page.get_by_role("button", name="Message privately").click()
    jordan_page.wait_for_url(re.compile(r"/chat/p-[0-9a-f]+/$"))
    expect(jordan_page.locator("#chat-status")).to_have_text(re.compile("Connected"))
    jordan_page.get_by_label("Your message").fill("Proud of you for Tuesday!")
    jordan_page.get_by_role("button", name="Send").click()

    sam_page.goto(live_server.url + "/messages/")
    expect(sam_page.get_by_text("1 new")).to_be_visible()
    assert_accessible(sam_page)
    screenshot(sam_page, "messages")
    sam_page.get_by_role("link", name="With Jordan").click()
    expect(sam_page.locator("#chat-status")).to_have_text(re.compile("Connected"))
    sam_log = sam_page.get_by_role("log")
    expect(sam_log).to_contain_text("Proud of you for Tuesday!")
    sam_page.get_by_label("Your message").fill("Thank you, that means a lot.")
    sam_page.get_by_role("button", name="Send").click()
    expect(jordan_page.get_by_role("log")).to_contain_text("Thank you, that means a lot.")
    assert_accessible(sam_page)


def test_the_support_page_shows_the_lines_and_a_supporter_answers(new_page, live_server):
    from connections import services

    staff = UserFactory(display_name="Dana team", roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF])
    helper = UserFactory(display_name="Robin helper")
    services.grant_peer_supporter(member=helper, actor=staff)
    services.set_on_duty(supporter=helper, on_duty=True)
    sam = UserFactory(display_name="Sam R")

    sam_page = new_page()
    sign_in(sam_page, live_server, sam)
    sam_page.goto(live_server.url + "/support/")
    expect(sam_page.get_by_text("988").first).to_be_visible()
    assert_accessible(sam_page)
    sam_page.get_by_role("button", name="I need support now").click()
    expect(sam_page.get_by_text("We've let the supporters on duty know.").first).to_be_visible()
    assert_accessible(sam_page)
    screenshot(sam_page, "support-waiting")

    helper_page = new_page()
    sign_in(helper_page, live_server, helper)
    helper_page.goto(live_server.url + "/support/")
    assert_accessible(helper_page)
    helper_page.get_by_role("button", name="I'll answer Sam R").click()
    helper_page.wait_for_url(re.compile(r"/chat/p-[0-9a-f]+/$"))

    # Sam's waiting page learns of it by itself and links to the conversation.
    sam_page.get_by_role("link", name="Open your conversation").click(timeout=15_000)
    expect(sam_page.locator("#chat-status")).to_have_text(re.compile("Connected"))
