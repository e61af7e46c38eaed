import re

import pytest

from forum.models import Category
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_topic_with_content_warning_reaction_quote_mention_and_notification(new_page, live_server):
    Category.objects.create(
        name="Everyday recovery",
        slug="everyday-recovery",
        description="Work, sleep, family, routines: the ordinary days after the programme.",
    )
    sam = UserFactory(display_name="Sam R")
    jordan = UserFactory(display_name="Jordan")

    # Sam starts a topic with a content warning.
    page = new_page()
    sign_in(page, live_server, sam)
    page.goto(live_server.url + "/forum/")
    assert_accessible(page)
    page.get_by_role("link", name="Everyday recovery").click()
    assert_accessible(page)
    page.get_by_role("link", name="Start a topic").click()
    assert page.locator(".composer-crisis").get_by_role("link", name="get help now").is_visible()
    assert_accessible(page)
    page.get_by_label("Title").fill("A rough week, and what helped")
    page.get_by_label("Content warning (optional)").fill("cravings")
    page.get_by_label("Your post").fill("I had strong cravings on Wednesday. I called my sponsor instead.")
    page.get_by_role("button", name="Post topic").click()
    page.wait_for_url(re.compile(r"/forum/t/\d+/$"))
    assert_accessible(page)

    # Jordan opens it: the post stays folded behind "CW: cravings" until opened.
    other = new_page()
    sign_in(other, live_server, jordan)
    other.goto(live_server.url + "/forum/c/everyday-recovery/")
    assert other.get_by_text("New posts").first.is_visible()
    other.get_by_role("link", name="A rough week, and what helped").click()
    body = other.get_by_text("I had strong cravings on Wednesday.")
    assert not body.is_visible()
    other.get_by_text("CW: cravings").click()
    assert body.is_visible()
    assert other.get_by_text("member since").first.is_visible()
    assert sam.email not in other.content()
    assert_accessible(other)

    # Jordan reacts; the count and who reacted show. With JavaScript only the reactions are redrawn (no reload),
    # and the keyboard focus stays on the button.
    csp_errors = []
    other.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    url_before = other.url
    other.get_by_role("button", name="Sending support").click()
    reacted = other.get_by_role("button", name="Sending support 1")
    assert reacted.get_attribute("aria-pressed") == "true"
    assert other.url == url_before
    assert other.evaluate("document.activeElement.id").endswith("-support")
    assert not csp_errors
    assert other.get_by_text("Sending support: Jordan").is_visible()

    # Jordan quotes Sam's post and mentions Sam.
    other.get_by_role("link", name="Quote post 1").click()
    box = other.get_by_label("Your reply")
    assert "I had strong cravings" in box.input_value() and "[wrote](/forum/p/" in box.input_value()
    assert other.get_by_label("Content warning (optional)").input_value() == "cravings"
    assert_accessible(other)
    box.press("Control+End")
    box.type("Calling your sponsor was exactly right, @Sam_R. Proud of you.")
    other.get_by_role("button", name="Post reply").click()
    other.wait_for_url(re.compile(r"#post-2$"))
    other.locator("#post-2 summary").click()
    reply = other.locator("#post-2")
    assert reply.get_by_role("link", name="@Sam R").is_visible()
    assert reply.locator("blockquote").get_by_role("link", name="wrote").is_visible()
    assert "Proud of you" not in reply.locator("blockquote").inner_text()  # the reply follows the quote
    assert_accessible(other)

    # Sam sees the bell (the support Jordan sent and the mention: two notices) and the mention leads to the reply.
    page.goto(live_server.url + "/forum/")
    assert page.get_by_label("2 unread").is_visible()
    screenshot(page, "forum-categories")
    page.get_by_role("link", name=re.compile("Notifications")).click()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Jordan mentioned you")).click()
    page.wait_for_url(re.compile(r"/forum/t/\d+/#post-2$"))
    page.locator("#post-1 summary").click()
    page.locator("#post-2 summary").click()
    assert page.locator("#post-2").get_by_text("Proud of you").is_visible()
    screenshot(page, "forum-topic")

    # The same topic on a phone.
    phone = new_page(phone=True)
    sign_in(phone, live_server, sam)
    phone.goto(page.url)
    assert_accessible(phone)
    screenshot(phone, "forum-topic-phone")


def test_forum_side_pages_are_accessible(new_page, live_server):
    from forum import services
    from members.models import Role
    from tests.factories import enable_totp

    staff = UserFactory(display_name="Dana team", roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF], teen_cleared=True)
    secret = enable_totp(staff)
    category = services.create_category(actor=staff, name="Everyday recovery", description="Ordinary days.")
    sam = UserFactory(display_name="Sam R")
    topic = services.create_topic(
        category=category, author=sam, title="Sleep routines", body="Winding down at nine helps me sleep."
    )
    post = topic.posts.get()
    services.edit_post(post=post, editor=sam, body="Winding down at nine helps me **sleep**.", base_revision=1)
    services.add_bookmark(post=post, user=sam)
    # The server process caches content-type ids, which the search index filters on; the database is emptied
    # and refilled between browser tests, so the ids it remembers may be stale. A restart starts it clean.
    live_server.restart()

    page = new_page(phone=True)
    sign_in(page, live_server, sam)
    for path in [
        "/forum/search/?q=sleep",
        "/forum/bookmarks/",
        f"/forum/p/{post.pk}/edit/",
        f"/forum/p/{post.pk}/history/",
        f"/forum/p/{post.pk}/remove/",
        f"/forum/members/{sam.pk}/",
        f"/forum/t/{topic.pk}/reply/",
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page)
    page.goto(live_server.url + "/forum/search/?q=sleep")
    assert page.locator("mark").first.inner_text().lower() == "sleep"
    screenshot(page, "forum-search-phone")

    team = new_page()
    sign_in(team, live_server, staff, totp_secret=secret)
    team.goto(live_server.url + "/forum/manage/")
    assert_accessible(team)
    team.get_by_role("link", name="Add a category").click()
    assert_accessible(team)
    team.get_by_label("Name").fill("Teen lounge")
    team.get_by_label("Teen members only").check()
    team.get_by_role("button", name="Save").click()
    assert team.get_by_role("cell", name="Teen members only").is_visible()
    team.get_by_role("link", name="Edit Teen lounge").click()
    assert_accessible(team)
