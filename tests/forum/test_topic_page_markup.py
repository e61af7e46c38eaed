"""The topic page's posts are written in Python (forum/fragments.py), not template nodes: what only some readers
see (a moderator's tools and notes, an author's own moderated post) is escaped like everything else, and the
reactions htmx swaps in after a press are the same markup the page wrote."""

import re

from forum import services
from tests.factories import UserFactory

from .factories import make_reply, make_topic
from .test_xss import assert_inert

NASTY = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_what_moderators_and_authors_alone_see_is_escaped(adult_category, member, moderator, client_for):
    nasty = UserFactory(display_name="Nasty")
    type(nasty).objects.filter(pk=nasty.pk).update(display_name=NASTY[:40])
    topic = make_topic(category=adult_category, author=member, title="Evenings")
    theirs = make_reply(topic=topic, author=nasty, body="Words", content_warning=NASTY)
    mine = make_reply(topic=topic, author=member, body="Mine")
    services.hide_post(post=theirs, actor=moderator, reason=NASTY)
    services.remove_post(post=mine, actor=moderator, reason=NASTY)

    as_moderator = client_for(moderator).get(f"/forum/t/{topic.pk}/").content.decode()
    assert_inert(as_moderator, "the moderator's page")
    assert "Moderator&#x27;s reason: &quot;&gt;&lt;script&gt;" in as_moderator.replace(
        "Moderator's", "Moderator&#x27;s"
    )
    assert (
        f'id="mod-warning-{theirs.pk}" name="warning" maxlength="200" value="&quot;&gt;&lt;script&gt;' in as_moderator
    )
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in as_moderator  # the name, in the post's header

    as_author = client_for(member).get(f"/forum/t/{topic.pk}/").content.decode()
    assert_inert(as_author, "the author's page")
    assert "A moderator removed your post. Their reason: &quot;&gt;&lt;script&gt;" in as_author
    assert "This post is hidden by the moderators while they look at it." in as_author


def test_the_reactions_htmx_swaps_in_are_what_the_page_wrote(adult_category, member, member2, client_for):
    topic = make_topic(category=adult_category, author=member, title="Evenings")
    reply = make_reply(topic=topic, author=member, body="Hello")
    client = client_for(member2)
    address = f"/forum/t/{topic.pk}/"
    swapped = client.post(
        f"/forum/p/{reply.pk}/react/", {"reaction": "+hug", "next": f"{address}#post-2"}, headers={"HX-Request": "true"}
    ).content.decode()
    page = client.get(address).content.decode()
    on_page = re.search(rf'<form method="post" action="/forum/p/{reply.pk}/react/".*?</form>', page, re.S).group(0)
    token = r'name="csrfmiddlewaretoken" value="[^"]+"'
    assert re.sub(token, "", swapped.strip()) == re.sub(token, "", on_page)
    assert 'aria-pressed="true">Hug <span class="count">1</span>' in on_page
