"""What members type reads back as they typed it: code keeps its lines, underscores stay, entities stay typed,
excerpts escape once; and invisible control or direction-changing characters never reach stored text or pages."""

import pytest
from django.core.exceptions import ValidationError

from chat import services as chat_services
from forum import services
from members.markup import render_markdown
from members.text import clean_member_text
from members.validators import clean_display_name
from moderation.models import Flag
from tests.chat.factories import RoomFactory

from .factories import make_reply, make_topic

CODE = "```\nif a < b: print('<ok>')\nelse:\n    pass\n```"


def test_a_code_fence_keeps_its_lines_and_shows_brackets(adult_category, member, member_client):
    topic = make_topic(category=adult_category, author=member, body=f"Look:\n\n{CODE}")
    html = topic.posts.get().html
    assert "<pre><code>if a &lt; b: print('&lt;ok&gt;')\nelse:\n    pass\n</code></pre>" in html
    page = member_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert "print('&lt;ok&gt;')\nelse:" in page


def test_double_underscores_are_not_bold():
    assert render_markdown("call __init__ on my_var_name") == "<p>call __init__ on my_var_name</p>"
    assert render_markdown("**bold** and *soft*") == "<p><strong>bold</strong> and <em>soft</em></p>"


def test_a_typed_entity_reads_back_as_typed(adult_category, member, member_client):
    topic = make_topic(category=adult_category, author=member, body="In HTML you write &lt; for <")
    html = topic.posts.get().html
    assert html == "<p>In HTML you write &amp;lt; for &lt;</p>"
    page = member_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert "In HTML you write &amp;lt; for &lt;" in page


def test_single_line_breaks_stay_line_breaks():
    assert render_markdown("first line\nsecond line\n\nnew paragraph") == (
        "<p>first line<br>\nsecond line</p>\n<p>new paragraph</p>"
    )


def test_raw_html_is_text_and_bad_links_are_not_links():
    assert render_markdown("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>"
    assert "<a" not in render_markdown("[x](javascript:alert(1))")
    assert render_markdown("~~old~~ [site](https://example.org)") == (
        '<p><del>old</del> <a href="https://example.org" rel="nofollow noopener ugc">site</a></p>'
    )


def test_bookmark_excerpt_escapes_once(adult_category, member, member2, member2_client):
    topic = make_topic(category=adult_category, author=member, body="Fish & chips <3 and &lt; typed")
    services.add_bookmark(post=topic.posts.get(), user=member2)
    page = member2_client.get("/forum/bookmarks/").content.decode()
    assert "Fish &amp; chips &lt;3 and &amp;lt; typed" in page
    assert "&amp;amp;" not in page


# --- control and bidi-override characters ---------------------------------------------------------

NASTY = "\x07bell \x1b[31mred\x00 \u202eevil\u202c \u2066iso\u2069 \ufeffok\r\nnext\tcol"
INVISIBLE = ("\x07", "\x1b", "\x00", "\u202e", "\u202c", "\u2066", "\u2069", "\r")


def _assert_clean(text: str, where: str) -> None:
    for ch in INVISIBLE:
        assert ch not in text, f"{where} keeps {ch!r}"


def test_the_cleaner_keeps_newlines_tabs_and_words():
    assert clean_member_text("a\x07b\x1bc\u202ed\r\ne\tf\u200fg") == "abcd\ne\tf\u200fg"
    assert clean_member_text(None) == ""


def test_forum_titles_bodies_and_content_warnings_are_cleaned(adult_category, member, member_client):
    topic = make_topic(category=adult_category, author=member, title=f"Title {NASTY}", body=NASTY)
    reply = make_reply(topic=topic, author=member, body=NASTY, content_warning=f"cw {NASTY}")
    services.edit_post(post=reply, editor=member, body=f"edited {NASTY}", base_revision=1)
    reply.refresh_from_db()
    topic.refresh_from_db()
    for where, text in {
        "title": topic.title,
        "opening body": topic.posts.get(position=1).body,
        "opening html": topic.posts.get(position=1).html,
        "reply body": reply.body,
        "reply html": reply.html,
        "content warning": reply.content_warning,
        "topic page": member_client.get(f"/forum/t/{topic.pk}/").content.decode(),
    }.items():
        _assert_clean(text, where)
    assert "bell" in reply.body and "evil" in reply.body and "next\tcol" in reply.body


def test_a_body_of_only_invisible_characters_is_refused(adult_category, member):
    with pytest.raises(services.ForumError):
        make_topic(category=adult_category, author=member, body="\x07\u202e\x1b")


def test_chat_bodies_edits_and_report_notes_are_cleaned(member, member2):
    room = RoomFactory()
    message = chat_services.post_message(room=room, author=member, body=NASTY, client_id="c1").message
    _assert_clean(message.body, "chat body")
    _assert_clean(message.html, "chat html")
    edited = chat_services.edit_message(message=message, actor=member, body=f"again {NASTY}")
    _assert_clean(edited.body, "edited chat body")
    _assert_clean(edited.html, "edited chat html")
    chat_services.flag_message(message=message, reporter=member2, reason=Flag.Reason.values[0], note=NASTY)
    _assert_clean(Flag.objects.get(reporter=member2).note, "report note")


@pytest.mark.django_db
def test_display_names_lose_invisible_characters():
    assert clean_display_name("Sam\u202e R\x07") == "Sam R"
    with pytest.raises(ValidationError):
        clean_display_name("\u202e\x07")
