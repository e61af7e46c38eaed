"""A post far too big to send: the site's own page says the limit, and the words wait in the composer.

Before, a 10 MB post got Django's bare 400 page and the text was gone. Now the composer keeps a draft in this
browser (static/js/draft.js): coming back restores it, and a successful post clears it.
"""

import re

import pytest

from forum.models import Category, Post
from forum.services import create_topic
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

WORDS = "I wanted to say thank you to everyone here. Six months ago I could not have written this."


def test_an_oversized_post_keeps_its_words_and_a_successful_one_clears_them(page, live_server):
    category = Category.objects.create(name="Everyday recovery", slug="everyday-recovery")
    topic = create_topic(category=category, author=UserFactory(display_name="Robin"), title="Small wins", body="Hi")
    sam = UserFactory(display_name="Sam R")
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    sign_in(page, live_server, sam)

    # Sam writes a reply, then pastes far more than a post can hold (more than the server reads at all).
    page.goto(f"{live_server.url}/forum/t/{topic.pk}/reply/")
    box = page.get_by_label("Your reply")
    box.press_sequentially(WORDS[:20])
    box.fill(WORDS)
    page.wait_for_timeout(600)  # the draft is saved a moment after typing stops
    box.evaluate("(el, n) => { el.value += '\\n' + 'é'.repeat(n); }", 600_000)  # 3.6 MB once sent: over 2.5 MB
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name="Post reply").click(no_wait_after=True)

    # The site's own page, with the limit said plainly and a way back.
    assert page.get_by_role("heading", name="That was too much to send at once").is_visible()
    assert page.get_by_text("Forum posts can be up to 20,000 characters").is_visible()
    assert page.get_by_role("link", name="Get help now").is_visible()
    assert_accessible(page)
    screenshot(page, "post-too-big")

    # Back at the composer, the words are waiting.
    page.get_by_role("link", name="Back to what you were writing").click()
    page.wait_for_url(re.compile(rf"/forum/t/{topic.pk}/reply/$"))
    box = page.get_by_label("Your reply")
    assert box.input_value().startswith(WORDS)
    assert page.get_by_role("status").filter(has_text="what you were writing here was kept").is_visible()
    assert_accessible(page)

    # Sam trims it and posts: it lands, and the draft is gone.
    box.fill(WORDS)
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url(re.compile(r"#post-2$"), timeout=30_000)
    assert Post.objects.filter(topic=topic, author=sam, body=WORDS).count() == 1
    page.goto(f"{live_server.url}/forum/t/{topic.pk}/reply/")
    assert page.get_by_label("Your reply").input_value() == ""
    assert not page.get_by_role("status").filter(has_text="was kept").count()
    assert csp_errors == []


def test_a_new_topic_draft_survives_a_reload_and_leaves_with_sign_out(page, live_server):
    Category.objects.create(name="Everyday recovery", slug="everyday-recovery")
    sam = UserFactory(display_name="Sam R")
    sign_in(page, live_server, sam)
    page.goto(f"{live_server.url}/forum/c/everyday-recovery/new/")
    page.get_by_label("Title").fill("A good week")
    page.get_by_label("Your post").fill(WORDS)
    page.wait_for_timeout(600)
    page.reload()
    assert page.get_by_label("Title").input_value() == "A good week"
    assert page.get_by_label("Your post").input_value() == WORDS

    # Signing out wipes drafts from this browser: a shared computer keeps nobody's words.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/"))
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('draft:')).length") == 0
