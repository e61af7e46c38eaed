"""Replies, quotes, edits with history and conflicts, removal by the author, permalinks and pages."""

import pytest

from forum import services
from forum.models import Post, PostRevision
from forum.services import EditConflict

from .factories import make_reply, make_topic


@pytest.fixture
def topic(adult_category, member):
    return make_topic(category=adult_category, author=member, title="Meetings that help", body="Mine is Tuesday.")


def test_reply_appears_with_author_name_and_tenure_never_email(topic, member2, member2_client):
    response = member2_client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Thursday works for me."})
    post = Post.objects.get(position=2)
    assert response["Location"] == f"/forum/p/{post.pk}/"
    page = member2_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert "Thursday works for me." in page
    assert "Jordan" in page and f"member since {member2.date_joined.year}" in page
    assert member2.email not in page and topic.author.email not in page
    topic.refresh_from_db()
    assert topic.reply_count == 1 and topic.last_poster == member2


def test_reply_to_locked_topic_is_refused_and_writes_nothing(topic, moderator, member2_client):
    services.lock_topic(topic=topic, actor=moderator, reason="Resolved")
    response = member2_client.post(f"/forum/t/{topic.pk}/reply/", {"body": "One more thing"})
    assert response.status_code == 403
    assert "This topic is locked" in response.content.decode()
    assert topic.posts.count() == 1
    assert "Post reply" not in member2_client.get(f"/forum/t/{topic.pk}/").content.decode()


def test_empty_and_overlong_replies_are_refused(topic, member2_client):
    for body, message in [("", "Please write something"), ("x" * 20_001, "20,000 characters or fewer")]:
        response = member2_client.post(f"/forum/t/{topic.pk}/reply/", {"body": body})
        assert response.status_code == 400 and message in response.content.decode()
    assert topic.posts.count() == 1


def test_quote_prefills_the_reply_linked_to_its_source(topic, member2_client):
    source = topic.posts.get(position=1)
    page = member2_client.get(f"/forum/t/{topic.pk}/reply/?quote={source.pk}").content.decode()
    assert f"[wrote](/forum/p/{source.pk}/)" in page and "&gt; Mine is Tuesday." in page
    response = member2_client.post(
        f"/forum/t/{topic.pk}/reply/",
        {"body": f"> **Sam** [wrote](/forum/p/{source.pk}/):\n> Mine is Tuesday.\n\nSame!", "quoted_post": source.pk},
    )
    assert response.status_code == 302
    reply = Post.objects.get(position=2)
    assert reply.quoted_post == source
    assert f'<a href="/forum/p/{source.pk}/" rel="nofollow noopener ugc">wrote</a>' in reply.html
    assert "<blockquote>" in reply.html


def test_quote_of_a_post_elsewhere_is_not_linked(topic, adult_category, member2):
    other = make_topic(category=adult_category, author=member2).posts.get()
    reply = services.create_reply(topic=topic, author=member2, body="Hi", quoted_post=other)
    assert reply.quoted_post is None


def test_edit_keeps_a_revision_and_shows_edited(topic, member, member_client, member2_client, moderator_client):
    post = topic.posts.get()
    response = member_client.post(
        f"/forum/p/{post.pk}/edit/", {"body": "Mine is Wednesday now.", "content_warning": "", "base_revision": 1}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.revision == 2 and "Wednesday" in post.html and post.edited_at
    assert PostRevision.objects.get(post=post).body == "Mine is Tuesday."
    assert "edited" in member2_client.get(f"/forum/t/{topic.pk}/").content.decode()
    history = member_client.get(f"/forum/p/{post.pk}/history/")
    assert history.status_code == 200 and "Mine is Tuesday." in history.content.decode()
    assert moderator_client.get(f"/forum/p/{post.pk}/history/").status_code == 200
    assert member2_client.get(f"/forum/p/{post.pk}/history/").status_code == 403


def test_editing_someone_elses_post_is_refused(topic, member2_client):
    post = topic.posts.get()
    response = member2_client.post(f"/forum/p/{post.pk}/edit/", {"body": "Hijacked", "base_revision": 1})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.body == "Mine is Tuesday." and post.revision == 1 and not PostRevision.objects.exists()


def test_a_stale_edit_is_refused_and_shows_the_newer_text(topic, member, member_client):
    post = topic.posts.get()
    services.edit_post(post=post, editor=member, body="Edited in another tab", base_revision=1)
    response = member_client.post(f"/forum/p/{post.pk}/edit/", {"body": "My older edit", "base_revision": 1})
    assert response.status_code == 409
    text = response.content.decode()
    assert "changed this post since you opened it" in text
    assert "Edited in another tab" in text and "My older edit" in text
    post.refresh_from_db()
    assert post.body == "Edited in another tab" and post.revision == 2
    with pytest.raises(EditConflict):
        services.edit_post(post=post, editor=member, body="again", base_revision=1)


def test_removing_ones_own_post_leaves_a_placeholder(topic, member, member2, member_client, member2_client):
    reply = make_reply(topic=topic, author=member, body="I said too much")
    assert member_client.get(f"/forum/p/{reply.pk}/remove/").status_code == 200  # asks first
    assert member_client.post(f"/forum/p/{reply.pk}/remove/").status_code == 302
    page = member2_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert "removed by the author" in page and "I said too much" not in page
    reply.refresh_from_db()
    assert reply.state == "removed" and reply.body == "I said too much"  # kept for review and appeal
    assert member2_client.post(f"/forum/p/{topic.posts.get(position=1).pk}/remove/").status_code == 403


def test_permalink_goes_to_the_right_page_and_anchor(topic, member2):
    from forum.models import POSTS_PER_PAGE

    posts = [make_reply(topic=topic, author=member2, body=f"Reply {i}") for i in range(POSTS_PER_PAGE + 1)]
    from django.test import Client

    client = Client()
    client.force_login(member2)
    post21 = posts[19]
    assert post21.position == 21
    response = client.get(f"/forum/p/{post21.pk}/")
    assert response["Location"] == f"/forum/t/{topic.pk}/?page=2#post-21"
    page2 = client.get(f"/forum/t/{topic.pk}/?page=2").content.decode()
    assert 'id="post-21"' in page2 and 'id="post-20"' not in page2 and 'id="post-22"' in page2


def test_jump_to_first_unread(topic, member2, member, member_client):
    from forum.models import POSTS_PER_PAGE

    member_client.get(f"/forum/t/{topic.pk}/")  # the author has read post 1
    for i in range(POSTS_PER_PAGE + 3):
        make_reply(topic=topic, author=member2, body=f"Reply {i}")
    page = member_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert 'href="?#post-2"' in page and "Jump to first unread" in page
    member_client.get(f"/forum/t/{topic.pk}/?page=2")  # reads up to 24
    page = member_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert "Jump to first unread" not in page  # page 1 view does not move the marker back or forward


def test_long_topics_link_first_last_and_nearby_pages():
    from forum.views import _page_links

    assert _page_links(1, 1) == [1]
    assert _page_links(1, 3) == [1, 2, 3]
    assert _page_links(25, 50) == [1, None, 23, 24, 25, 26, 27, None, 50]
    assert _page_links(50, 50) == [1, None, 48, 49, 50]


def test_every_link_on_a_post_resolves_to_its_view(topic, member, member_client):
    """The topic page builds post addresses by appending to the permalink; they must match forum/urls.py."""
    import re

    from django.urls import resolve

    services.edit_post(post=topic.posts.get(), editor=member, body="Changed", base_revision=1)
    page = member_client.get(f"/forum/t/{topic.pk}/").content.decode()
    post = topic.posts.get()
    names = {resolve(href.split("?")[0]).url_name for href in re.findall(r'(?:href|action)="(/forum/[^"#]*)', page)}
    assert {
        "post",
        "post_edit",
        "post_remove",
        "post_history",
        "post_react",
        "post_bookmark",
        "member",
        "reply",
    } <= names
    assert f'href="/forum/t/{topic.pk}/reply/?quote={post.pk}"' in page
