"""The safety loop in a real browser: a report reaches a moderator, who removes a post with a reason; the author
reads the reason and appeals; the appeal restores the post, and the audit log tells the story. Crisis words in the
forum and in chat meet help at once and put an urgent item at the top of the queue. Axe runs on every page."""

import re

import pytest
from playwright.sync_api import expect

from chat import services as chat_services
from forum import services as forum_services
from forum.models import Category
from members.models import Role
from moderation import services as moderation_services
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.chat.factories import RoomFactory
from tests.factories import UserFactory, enable_totp

pytestmark = pytest.mark.browser

CRISIS_LINE = "You don't have to carry"  # words both crisis notes (forum and chat) say to the writer


def _moderator():
    dana = UserFactory(display_name="Dana mod", roles=[Role.MEMBER, Role.MODERATOR])
    return dana, enable_totp(dana)


def _category():
    return Category.objects.create(
        name="Everyday recovery",
        slug="everyday-recovery",
        description="Work, sleep, family, routines: the ordinary days after the programme.",
    )


def _fits_the_screen(page) -> bool:
    """Nothing pushes the page sideways (a phone user would have to scroll both ways to read it)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_report_remove_appeal_restore_and_the_audit_log(new_page, live_server):
    category = _category()
    sam = UserFactory(display_name="Sam R")
    jordan = UserFactory(display_name="Jordan")
    dana, secret = _moderator()
    topic = forum_services.create_topic(
        category=category, author=jordan, title="A rough week", body="Cravings all week. Let's talk instead of using."
    )
    forum_services.create_reply(
        topic=topic, author=sam, body="Message me if you want pills cheap, I can get you anything."
    )
    topic_url = live_server.url + topic.get_absolute_url()

    # Jordan reports Sam's post from the post itself, with a reason and a note.
    reporter = new_page()
    sign_in(reporter, live_server, jordan)
    reporter.goto(topic_url)
    expect(reporter.locator("#post-2")).to_contain_text("pills cheap")
    expect(reporter.get_by_role("link", name="Report post 1")).to_have_count(0)  # not his own
    reporter.get_by_role("link", name="Report post 2").click()
    reporter.wait_for_url(re.compile(r"/report/post/\d+/"))
    expect(reporter.get_by_role("heading", name="Report to the moderators")).to_be_visible()
    expect(reporter.get_by_role("region", name="What you are reporting")).to_contain_text("pills cheap")
    assert_accessible(reporter)
    # A report without a reason is refused kindly and nothing is sent.
    reporter.get_by_role("button", name="Send the report").click()
    expect(reporter.get_by_text("Please choose what the concern is.").first).to_be_visible()
    assert_accessible(reporter)
    reporter.get_by_label("Sourcing or promoting substances").check()
    reporter.get_by_label("Anything the moderators should know? (optional)").fill("Sam is offering to sell pills.")
    reporter.get_by_role("button", name="Send the report").click()
    reporter.wait_for_url(re.compile(r"/forum/t/\d+/"))
    expect(reporter.get_by_text("Thank you. A moderator will look at it")).to_be_visible()
    assert sam.email not in reporter.content()
    assert_accessible(reporter)

    # Dana (a moderator, with an authenticator) sees the item in the queue and opens it.
    mod = new_page()
    sign_in(mod, live_server, dana, totp_secret=secret)
    mod.goto(live_server.url + "/moderation/")
    expect(mod.get_by_role("heading", name="Review queue", exact=True)).to_be_visible()
    items = mod.locator(".mod-items > li")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Reported by 1 member: Sourcing or promoting substances")
    expect(items.first).to_contain_text("not claimed")
    assert_accessible(mod)
    screenshot(mod, "moderation-queue")
    mod.get_by_role("link", name=re.compile("Forum post: Topic “A rough week”")).click()
    mod.wait_for_url(re.compile(r"/moderation/items/\d+/$"))
    reported = mod.get_by_role("region", name="What was reported")
    expect(reported).to_contain_text("pills cheap")
    expect(reported).to_contain_text("Sam is offering to sell pills.")
    assert "Jordan" not in reported.inner_text()  # reporters are never shown
    expect(mod.get_by_role("region", name="As it is now")).to_contain_text("State: visible")
    expect(mod.get_by_role("region", name="As it is now")).to_contain_text("Let's talk instead")  # context
    assert_accessible(mod)
    screenshot(mod, "moderation-item")

    # Removing without a reason is refused; with one, it is done.
    decide = mod.get_by_role("region", name="Decide")
    decide.get_by_label("Remove it (the author sees your reason)").check()
    decide.get_by_role("button", name="Decide").click()
    expect(mod.get_by_role("alert").filter(has_text="Please give a reason")).to_be_visible()
    assert_accessible(mod)
    decide = mod.get_by_role("region", name="Decide")
    decide.get_by_label("Remove it (the author sees your reason)").check()
    decide.get_by_label("Reason", exact=True).fill("Offering to sell pills is not allowed here.")
    decide.get_by_role("button", name="Decide").click()
    expect(mod.get_by_text("Done: the item is closed")).to_be_visible()
    expect(mod.get_by_role("region", name="As it is now")).to_contain_text("State: removed")
    expect(mod.get_by_role("region", name="Decide")).to_have_count(0)
    assert_accessible(mod)

    # Jordan no longer sees the post, and hears that a moderator looked (not what was done).
    reporter.goto(topic_url)
    expect(reporter.locator("#post-2")).to_contain_text("This post was removed by a moderator.")
    expect(reporter.locator("#post-2")).not_to_contain_text("pills cheap")
    reporter.goto(live_server.url + "/notifications/")
    expect(
        reporter.get_by_role("button", name=re.compile("A moderator has looked at something you reported"))
    ).to_be_visible()
    assert "removed" not in reporter.locator(".notification-list").inner_text()
    assert_accessible(reporter)

    # Sam sees the reason on the post and in the notice, which leads to the standing page, and appeals.
    author = new_page()
    sign_in(author, live_server, sam)
    author.goto(topic_url)
    expect(author.locator("#post-2")).to_contain_text(
        "A moderator removed your post. Their reason: Offering to sell pills is not allowed here."
    )
    assert_accessible(author)
    author.goto(live_server.url + "/notifications/")
    assert_accessible(author)
    author.get_by_role("button", name=re.compile("A moderator removed your forum post")).click()
    author.wait_for_url(re.compile(r"/my-standing/$"))
    expect(author.get_by_role("heading", name="Your account", exact=True)).to_be_visible()
    decisions = author.get_by_role("region", name="Decisions about your writing")
    expect(decisions).to_contain_text("A moderator removed your forum post")
    expect(decisions).to_contain_text("The moderator's reason: Offering to sell pills is not allowed here.")
    assert_accessible(author)
    decisions.get_by_text("Ask for this to be looked at again").click()
    author.get_by_label("Why would you like this looked at again?").fill(
        "I was joking with a friend and should not have. I will not do it again; please put it back."
    )
    assert_accessible(author)
    author.get_by_role("button", name="Send my appeal").click()
    expect(author.get_by_text("Thank you. Your appeal is with the moderators")).to_be_visible()
    expect(author.get_by_role("region", name="Decisions about your writing")).to_contain_text("You appealed")
    expect(author.get_by_text("Ask for this to be looked at again")).to_have_count(0)  # once only
    assert_accessible(author)
    screenshot(author, "my-standing")

    # Dana finds the appeal in its own queue and grants it, which restores the post.
    mod.goto(live_server.url + "/moderation/")
    mod.get_by_role("navigation", name="Moderation pages").get_by_role("link", name=re.compile("Appeals")).click()
    mod.wait_for_url(re.compile(r"/moderation/appeals/"))
    expect(mod.get_by_role("heading", name="Appeals", exact=True)).to_be_visible()
    assert_accessible(mod)
    mod.get_by_role("link", name="Sam R: removed post").click()
    mod.wait_for_url(re.compile(r"/moderation/appeals/\d+/$"))
    expect(mod.get_by_role("region", name="Their message")).to_contain_text("I was joking with a friend")
    expect(mod.get_by_role("region", name="What they are appealing")).to_contain_text(
        "Offering to sell pills is not allowed here."
    )
    assert_accessible(mod)
    mod.get_by_label("Grant: lift the sanction or restore the content").check()
    mod.get_by_label("Note to the member").fill("Thank you for explaining. Your post is back; please keep it kind.")
    mod.get_by_role("button", name="Send the decision").click()
    expect(mod.get_by_text("Decided. The member has been told")).to_be_visible()
    mod.wait_for_url(re.compile(r"/moderation/appeals/$"))
    expect(mod.get_by_text("No appeals waiting.")).to_be_visible()
    mod.get_by_role("link", name="Decided").click()
    expect(mod.locator(".mod-items > li")).to_contain_text("granted by Dana mod")
    assert_accessible(mod)

    # The post is back for Jordan; Sam hears the decision.
    reporter.goto(topic_url)
    expect(reporter.locator("#post-2")).to_contain_text("pills cheap")
    author.goto(live_server.url + "/my-standing/")
    expect(author.get_by_text("Your appeal was granted")).to_be_visible()
    assert_accessible(author)

    # The audit log tells the story, newest first, with who did what and why.
    mod.goto(live_server.url + "/moderation/audit/")
    assert_accessible(mod)
    rows = mod.get_by_role("table").locator("tbody tr")
    texts = [" | ".join(cell.strip() for cell in row) for row in _table_rows(rows)]
    removed = _row_with(texts, "Post removed")
    assert "Dana mod" in removed and "Offering to sell pills is not allowed here." in removed
    granted = _row_with(texts, "Appeal granted")
    assert "Dana mod" in granted and "Thank you for explaining." in granted
    restored = _row_with(texts, "Post restored")
    assert "Dana mod" in restored and "Appeal granted" in restored
    reported = _row_with(texts, "Reported by a member")
    assert "Jordan" in reported and "Sourcing or promoting substances" in reported
    appealed = _row_with(texts, "Appeal sent")
    assert "Sam R" in appealed
    # The four steps, newest first: report, removal, appeal, restoration.
    assert texts.index(restored) < texts.index(appealed) < texts.index(removed) < texts.index(reported)
    screenshot(mod, "moderation-audit")


def _table_rows(rows) -> list[list[str]]:
    return [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]


def _row_with(texts: list[str], action: str) -> str:
    found = [t for t in texts if f"| {action} |" in t]
    assert len(found) == 1, f"expected one {action!r} row in:\n" + "\n".join(texts)
    return found[0]


def test_crisis_words_meet_help_at_once_and_an_urgent_item_leads_the_queue(new_page, live_server):
    category = _category()
    RoomFactory(name="Evening circle", slug="evening-circle", description="Check in any time.")
    sam = UserFactory(display_name="Sam R")
    jordan = UserFactory(display_name="Jordan")
    alex = UserFactory(display_name="Alex")
    dana, secret = _moderator()
    # An older, ordinary report: by age it would come first, but urgent items lead.
    topic = forum_services.create_topic(category=category, author=alex, title="Buy my course", body="Cheap course.")
    moderation_services.report(
        reporter=jordan, kind="post", target_id=topic.posts.get().pk, reason="spam", note="An advert."
    )

    # Sam writes crisis words in the forum and sees help at once, on the page he lands on.
    page = new_page()
    sign_in(page, live_server, sam)
    page.goto(live_server.url + "/forum/c/everyday-recovery/")
    page.get_by_role("link", name="Start a topic").click()
    page.get_by_label("Title").fill("Tonight")
    page.get_by_label("Your post").fill("I can't do this anymore. I want to kill myself.")
    page.get_by_role("button", name="Post topic").click()
    page.wait_for_url(re.compile(r"/forum/t/\d+/$"))
    help_box = page.get_by_role("region", name="We're glad you wrote this down")
    expect(help_box).to_be_visible()
    expect(help_box).to_contain_text(CRISIS_LINE)
    expect(help_box).to_contain_text("Only you can see this message.")
    expect(help_box.get_by_role("link").first).to_be_visible()  # the lines are links one can call
    expect(page.locator("#post-1")).to_contain_text("I want to kill myself")  # published, not refused
    assert_accessible(page)
    screenshot(page, "forum-crisis-help")
    forum_topic_url = page.url
    page.reload()  # shown once, on the page they land on, not every time they come back
    expect(page.locator("#post-1")).to_contain_text("I want to kill myself")
    expect(help_box).to_have_count(0)

    # Jordan reads the topic: the help was for Sam alone.
    other = new_page()
    sign_in(other, live_server, jordan)
    other.goto(forum_topic_url)
    expect(other.locator("#post-1")).to_contain_text("I want to kill myself")
    expect(other.get_by_role("region", name="We're glad you wrote this down")).to_have_count(0)

    # In chat, Sam's message reaches the room and the crisis lines reach Sam alone, privately.
    page.goto(live_server.url + "/chat/")
    page.get_by_role("link", name="Evening circle").click()
    expect(page.locator("#chat-status")).to_have_text(re.compile("Connected"))
    other.goto(live_server.url + "/chat/")
    other.get_by_role("link", name="Evening circle").click()
    expect(other.locator("#chat-status")).to_have_text(re.compile("Connected"))
    crisis = page.locator("#crisis-resources")
    expect(crisis).to_be_hidden()
    page.get_by_label("Your message").fill("Honestly I want to end it all")
    page.get_by_role("button", name="Send").click()
    expect(crisis).to_be_visible()
    expect(crisis).to_contain_text(CRISIS_LINE)
    expect(crisis).to_contain_text("Only you can see this note.")
    other_log = other.get_by_role("log", name="Messages in Evening circle")
    # Live as a rule; the room's heartbeat (25 s) is the promised fallback when a broadcast is lost, so wait for it.
    expect(other_log).to_contain_text("Honestly I want to end it all", timeout=30_000)
    expect(other.locator("#crisis-resources")).to_be_hidden()
    assert_accessible(page)
    screenshot(page, "chat-crisis-resources")

    # Dana's queue: the two urgent items first, marked, then the older report.
    mod = new_page()
    sign_in(mod, live_server, dana, totp_secret=secret)
    mod.goto(live_server.url + "/moderation/")
    items = mod.locator(".mod-items > li")
    expect(items).to_have_count(3)
    for n in (0, 1):
        expect(items.nth(n)).to_contain_text("Urgent: someone may be in crisis")
    assert {items.nth(0).locator("h3").inner_text(), items.nth(1).locator("h3").inner_text()} == {
        "Forum post: Topic “Tonight” in Everyday recovery",
        "Chat message: Chat room “Evening circle”",
    }
    expect(items.nth(2)).not_to_contain_text("Urgent")
    expect(items.nth(2)).to_contain_text("Buy my course")
    assert_accessible(mod)
    screenshot(mod, "moderation-queue-urgent")

    # The urgent item says what to do first, and shows what screening matched.
    items.nth(0).get_by_role("link").click()
    mod.wait_for_url(re.compile(r"/moderation/items/\d+/$"))
    expect(mod.get_by_role("note")).to_contain_text("Urgent: someone may be in crisis.")
    expect(mod.get_by_role("region", name="What was reported")).to_contain_text("Screening matched")
    assert_accessible(mod)


def test_queue_and_report_form_on_a_phone(new_page, live_server):
    category = _category()
    room = RoomFactory(name="Evening circle", slug="evening-circle", description="Check in any time.")
    sam = UserFactory(display_name="Sam R")
    jordan = UserFactory(display_name="Jordan")
    dana, secret = _moderator()
    topic = forum_services.create_topic(
        category=category,
        author=sam,
        title="A long week with a rather long title that has to wrap on a small screen",
        body="Some days are harder than others. " * 20,
    )
    moderation_services.report(
        reporter=jordan, kind="post", target_id=topic.posts.get().pk, reason="other", note="Just checking."
    )
    chat_services.post_message(room=room, author=sam, body="Anyone around tonight?")

    # A member reports a chat message from a phone, through the message's own report page.
    phone = new_page(phone=True)
    sign_in(phone, live_server, jordan)
    phone.goto(live_server.url + "/chat/evening-circle/")
    expect(phone.locator("#chat-status")).to_have_text(re.compile("Connected"))
    message = phone.locator(".chat-message", has_text="Anyone around tonight?")
    message.locator("summary", has_text="Report").click()
    message.get_by_role("link", name="Open the report page for this message").click()
    phone.wait_for_url(re.compile(r"/report/message/\d+/$"))
    expect(phone.get_by_role("heading", name="Report to the moderators")).to_be_visible()
    expect(phone.get_by_role("region", name="What you are reporting")).to_contain_text("Anyone around tonight?")
    assert _fits_the_screen(phone)
    assert_accessible(phone)
    screenshot(phone, "report-form-phone")
    phone.get_by_label("Harassment or bullying").check()
    phone.get_by_role("button", name="Send the report").click()
    phone.wait_for_url(re.compile(r"/chat/evening-circle/"))
    expect(phone.get_by_text("Thank you. A moderator will look at it")).to_be_visible()

    # The moderator's queue and item on a phone.
    team = new_page(phone=True)
    sign_in(team, live_server, dana, totp_secret=secret)
    team.goto(live_server.url + "/moderation/")
    expect(team.locator(".mod-items > li")).to_have_count(2)
    assert _fits_the_screen(team)
    assert_accessible(team)
    screenshot(team, "moderation-queue-phone")
    team.get_by_role("link", name=re.compile("Chat message")).click()
    team.wait_for_url(re.compile(r"/moderation/items/\d+/$"))
    expect(team.get_by_role("region", name="What was reported")).to_contain_text("Anyone around tonight?")
    assert _fits_the_screen(team)
    assert_accessible(team)
    screenshot(team, "moderation-item-phone")
