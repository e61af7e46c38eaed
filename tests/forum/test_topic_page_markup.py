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


def test_each_reader_sees_their_own_reactions_and_bookmarks(adult_category, member, member2, client_for):
    topic = make_topic(category=adult_category, author=member, title="Evenings")
    reply = make_reply(topic=topic, author=member, body="Hello")
    services.add_reaction(post=reply, user=member, kind="hug")
    services.add_reaction(post=reply, user=member2, kind="hug")
    services.add_reaction(post=reply, user=member2, kind="thanks")
    services.add_bookmark(post=reply, user=member)
    address = f"/forum/t/{topic.pk}/"

    def post_2(user) -> str:
        page = client_for(user).get(address).content.decode()
        return re.search(r'<li class="post state-visible" id="post-2">.*?</article>', page, re.S).group(0)

    mine = post_2(member)
    assert f'id="react-{reply.pk}-hug" name="reaction" value="-hug" class="reaction mine" aria-pressed="true"' in mine
    assert f'id="react-{reply.pk}-thanks" name="reaction" value="+thanks" class="reaction" aria-pressed="false"' in mine
    assert f"Hug: {member.display_name}, {member2.display_name}</p>" in mine  # in the order given
    assert "Remove bookmark" in mine

    theirs = post_2(member2)
    assert 'value="-hug" class="reaction mine"' in theirs and 'value="-thanks" class="reaction mine"' in theirs
    assert "Remove bookmark" not in theirs and ">Bookmark<" in theirs


def test_the_reply_box_is_blank_after_someone_quoted(adult_category, member, member2, client_for):
    topic = make_topic(category=adult_category, author=member, title="Evenings")
    reply = make_reply(topic=topic, author=member, body="Quotable words")
    quoting = client_for(member2).get(f"/forum/t/{topic.pk}/reply/?quote={reply.pk}").content.decode()
    assert "Quotable words" in quoting

    for user in (member2, member):
        page = client_for(user).get(f"/forum/t/{topic.pk}/").content.decode()
        box = re.search(r'<textarea name="body".*?</textarea>', page, re.S).group(0)
        assert "Quotable" not in box and box.endswith(">\n</textarea>")
