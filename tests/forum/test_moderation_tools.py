"""Moderators act on posts and topics from the topic page, and the forum's adapter for moderation (issue 9)."""

import pytest

from audit.models import AuditEntry
from forum import services
from forum.models import ContentState, Post
from members.audience import Audience
from moderation import adapters
from moderation.models import ReviewItem
from moderation.services import act_on_target, report
from notifications.models import Notification

from .factories import make_category, make_reply, make_topic


@pytest.fixture
def topic(adult_category, member):
    return make_topic(category=adult_category, author=member, title="Sleep", body="I can't sleep before 2am")


@pytest.fixture
def reply(topic, member2):
    return make_reply(topic=topic, author=member2, body="Something unkind about you")


def _tool(client, post, **data):
    return client.post(f"/forum/p/{post.pk}/moderate/", {"next": f"/forum/t/{post.topic_id}/", **data})


# --- the tools on the topic page -------------------------------------------------------------------------------


def test_moderator_sees_tools_and_members_see_report_links(topic, reply, member, moderator_client, member_client):
    page = moderator_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert page.count('class="mod-tools"') == 2 and "Moderate this topic" in page
    assert f'action="/forum/p/{reply.pk}/moderate/"' in page and f'action="/forum/t/{topic.pk}/moderate/"' in page
    page = member_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert "mod-tools" not in page
    # A Report link on others' posts, not on one's own.
    assert f'href="/report/post/{reply.pk}/"' in page
    assert f'href="/report/post/{topic.posts.get(position=1).pk}/"' not in page


def test_moderator_removes_a_post_with_a_reason(topic, reply, member2, moderator, moderator_client, member2_client):
    response = _tool(moderator_client, reply, action="remove", reason="Unkind to another member")
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.state == ContentState.REMOVED and reply.state_changed_by == moderator
    entry = AuditEntry.objects.get(action="remove_post")
    assert entry.actor == moderator and entry.reason == "Unkind to another member"
    assert entry.changes == {"state": ["visible", "removed"]}
    # The author sees why and where to ask for another look, and is told.
    page = member2_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert "Their reason: Unkind to another member" in page and 'href="/my-standing/"' in page
    assert "Something unkind" not in page
    notice = Notification.objects.get(recipient=member2, kind="content_moderated")
    assert "Unkind to another member" in notice.text
    # The queue keeps a closed record of the decision (the author may appeal it).
    item = ReviewItem.objects.get(kind="post", target_id=reply.pk)
    assert item.status == ReviewItem.Status.RESOLVED and item.resolution == "remove"


def test_others_see_removed_without_the_reason(topic, reply, moderator_client, member_client):
    _tool(moderator_client, reply, action="remove", reason="Unkind to another member")
    page = member_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert "This post was removed by a moderator." in page and "Unkind to another member" not in page


def test_missing_reason_changes_nothing(topic, reply, moderator_client):
    response = _tool(moderator_client, reply, action="remove", reason="  ")
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.state == ContentState.VISIBLE and not AuditEntry.objects.exists()
    page = moderator_client.get(response.url).content.decode()
    assert "Please give a reason" in page


def test_restoring_a_visible_post_is_refused(topic, reply, moderator_client):
    response = _tool(moderator_client, reply, action="restore", reason="Why not")
    assert "already visible" in moderator_client.get(response.url).content.decode()
    assert not AuditEntry.objects.exists()


def test_hide_restore_and_content_warning(topic, reply, moderator, moderator_client):
    _tool(moderator_client, reply, action="hide", reason="Checking")
    reply.refresh_from_db()
    assert reply.state == ContentState.HIDDEN
    _tool(moderator_client, reply, action="restore", reason="It's fine")
    reply.refresh_from_db()
    assert reply.state == ContentState.VISIBLE
    _tool(moderator_client, reply, action="content_warning", reason="Graphic", warning="self-harm")
    reply.refresh_from_db()
    assert reply.content_warning == "self-harm"
    entry = AuditEntry.objects.get(action="moderation.content_warning")
    assert entry.changes == {"content_warning": ["", "self-harm"]} and entry.actor == moderator
    # The same warning again is a no-op: no row.
    _tool(moderator_client, reply, action="content_warning", reason="Again", warning="self-harm")
    assert AuditEntry.objects.filter(action="moderation.content_warning").count() == 1


def test_lock_unlock_and_move_the_topic(topic, moderator, moderator_client, member_client, adult_category):
    url = f"/forum/t/{topic.pk}/moderate/"
    moderator_client.post(url, {"action": "lock", "reason": "Resolved"})
    topic.refresh_from_db()
    assert topic.locked and AuditEntry.objects.get(action="lock_topic").actor == moderator
    assert member_client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Hi"}).status_code == 403
    response = moderator_client.post(url, {"action": "lock", "reason": "Again"})
    assert "already locked" in moderator_client.get(response.url).content.decode()
    moderator_client.post(url, {"action": "unlock", "reason": "Reopened"})
    topic.refresh_from_db()
    assert not topic.locked
    other = make_category(name="Sleep and rest")
    moderator_client.post(url, {"action": "move", "category_id": other.pk, "reason": "Fits better"})
    topic.refresh_from_db()
    assert topic.category_id == other.pk
    assert AuditEntry.objects.get(action="move_topic").changes == {"category": [adult_category.name, other.name]}


def test_move_is_refused_across_the_teen_line(topic, staff, client_for, teen_category):
    client = client_for(staff)  # teen-cleared: sees the teen category, but a topic never crosses the line
    page = client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert teen_category.name not in page
    response = client.post(
        f"/forum/t/{topic.pk}/moderate/", {"action": "move", "category_id": teen_category.pk, "reason": "x"}
    )
    assert "Choose one of the categories offered" in client.get(response.url).content.decode()
    topic.refresh_from_db()
    assert topic.category.audience == Audience.ADULTS


def test_members_cannot_use_the_tools(topic, reply, member_client, member2_client):
    assert _tool(member_client, reply, action="remove", reason="mine now").status_code == 403
    assert member2_client.post(f"/forum/t/{topic.pk}/moderate/", {"action": "lock", "reason": "x"}).status_code == 403
    reply.refresh_from_db()
    topic.refresh_from_db()
    assert reply.state == ContentState.VISIBLE and not topic.locked
    assert not AuditEntry.objects.exists()


def test_teen_content_is_unreachable_for_a_moderator_not_cleared(teen_category, teen_member, moderator_client):
    teen_topic = make_topic(category=teen_category, author=teen_member, title="Exams", body="Stressed")
    post = teen_topic.posts.get()
    assert moderator_client.get(f"/forum/t/{teen_topic.pk}/").status_code == 404
    assert _tool(moderator_client, post, action="remove", reason="x").status_code == 404
    locking = moderator_client.post(f"/forum/t/{teen_topic.pk}/moderate/", {"action": "lock", "reason": "x"})
    assert locking.status_code == 404
    post.refresh_from_db()
    assert post.state == ContentState.VISIBLE


def test_deciding_from_the_page_closes_the_open_item(topic, reply, member, moderator, moderator_client):
    report(reporter=member, kind="post", target_id=reply.pk, reason="harassment")
    _tool(moderator_client, reply, action="hide", reason="Harassment")
    item = ReviewItem.objects.get(kind="post", target_id=reply.pk)
    assert item.status == ReviewItem.Status.RESOLVED and item.resolved_by == moderator
    # The reporter hears that someone looked.
    assert Notification.objects.filter(recipient=member, kind="report_reviewed").exists()


def test_topic_page_for_moderators_runs_fixed_queries(topic, member2, moderator, client_for):
    """The tools add no query per post: the same count for one post and for eleven."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(moderator)
    client.get("/forum/")
    client.get(f"/forum/t/{topic.pk}/")
    with CaptureQueriesContext(connection) as one_post:
        client.get(f"/forum/t/{topic.pk}/")
    for i in range(10):
        make_reply(topic=topic, author=member2, body=f"Reply {i}")
    client.get(f"/forum/t/{topic.pk}/")  # moves the read marker once
    with CaptureQueriesContext(connection) as eleven_posts:
        page = client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert page.count('class="mod-tools"') == 11
    assert len(eleven_posts.captured_queries) == len(one_post.captured_queries) > 0


# --- the adapter ----------------------------------------------------------------------------------------------


@pytest.fixture
def adapter():
    return adapters.get_adapter("post")


def test_adapter_is_registered_with_its_actions(adapter):
    assert adapter.label == "Forum post"
    assert set(adapter.actions) == {"hide", "remove", "restore", "content_warning", "lock", "unlock", "move"}
    assert ("post", "Forum post") in adapters.kinds()


def test_adapter_reads(adapter, topic, reply, member, member2, teen_category, teen_member):
    opening = topic.posts.get(position=1)
    assert adapter.get(reply.pk) == reply and adapter.get(10**9) is None
    assert adapter.author(reply) == member2
    assert adapter.text(opening).startswith("Sleep\n\n") and adapter.text(reply) == "Something unkind about you"
    assert adapter.state(reply) == adapters.VISIBLE
    assert adapter.url(reply) == f"/forum/p/{reply.pk}/"
    assert adapter.where(reply) == f"Topic “Sleep” in {topic.category.name}"
    assert not adapter.in_teen_space(reply)
    teen_post = make_topic(category=teen_category, author=teen_member, title="Teen", body="Hi").posts.get()
    assert adapter.in_teen_space(adapter.get(teen_post.pk))
    assert adapter.can_report(member, adapter.get(reply.pk))
    assert not adapter.can_report(member, adapter.get(teen_post.pk))


def test_adapter_state_maps_held_hidden_removed(adapter, topic, reply, moderator):
    services.hide_post(post=reply, actor=moderator, reason="x")
    assert adapter.state(adapter.get(reply.pk)) == adapters.HIDDEN
    services.remove_post(post=reply, actor=moderator, reason="x")
    assert adapter.state(adapter.get(reply.pk)) == adapters.REMOVED
    reply.state = ContentState.HELD
    assert adapter.state(reply) == adapters.HELD


def test_adapter_context_is_two_posts_either_side(adapter, topic, member, member2):
    posts = [make_reply(topic=topic, author=member2, body=f"Reply {i}") for i in range(5)]
    target = posts[2]  # position 4
    lines = adapter.context(adapter.get(target.pk))
    assert [line.text for line in lines] == ["Reply 0", "Reply 1", "Reply 2", "Reply 3", "Reply 4"]
    assert [line.is_target for line in lines] == [False, False, True, False, False]
    first = adapter.context(adapter.get(topic.posts.get(position=1).pk))
    assert len(first) == 3 and first[0].is_target


@pytest.mark.parametrize("n", [1, 10])
def test_adapter_get_many_is_one_query(n, adapter, topic, member2, django_assert_num_queries):
    posts = [make_reply(topic=topic, author=member2, body=f"Reply {i}") for i in range(n)]
    with django_assert_num_queries(1):
        found = adapter.get_many([p.pk for p in posts] + [10**9])
        # What the queue shows of each costs nothing more.
        for post in found.values():
            adapter.author(post), adapter.text(post), adapter.where(post), adapter.url(post)
    assert set(found) == {p.pk for p in posts}


def test_adapter_system_hide_has_no_actor(adapter, reply):
    adapter.act("hide", reply, actor=None, reason="Hidden after reports from several members.")
    reply.refresh_from_db()
    assert reply.state == ContentState.HIDDEN and reply.state_changed_by is None
    assert AuditEntry.objects.get(action="hide_post").actor is None


def test_adapter_move_choices_follow_the_audience(adapter, topic, moderator, staff, teen_category, rp_category):
    opening = adapter.get(topic.posts.get(position=1).pk)
    names = [name for _, name in adapter.move_choices(opening, moderator)]
    assert rp_category.name in names and teen_category.name not in names and topic.category.name not in names
    assert teen_category.name not in [name for _, name in adapter.move_choices(opening, staff)]


def test_act_on_target_moves_through_the_adapter(topic, moderator, rp_category):
    opening = Post.objects.get(topic=topic, position=1)
    act_on_target(
        kind="post", target=opening, actor=moderator, action="move", reason="Group topic", category_id=rp_category.pk
    )
    topic.refresh_from_db()
    assert topic.category == rp_category


def test_the_author_of_a_removed_topic_still_reads_why_and_others_find_nothing(
    topic, member, member2_client, member_client, moderator_client
):
    opening = topic.posts.get(position=1)
    _tool(moderator_client, opening, action="remove", reason="Names someone from group")
    assert member2_client.get(f"/forum/t/{topic.pk}/").status_code == 404
    page = member_client.get(f"/forum/t/{topic.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Their reason: Names someone from group" in text and 'href="/my-standing/"' in text


def test_the_queue_offers_lock_or_unlock_as_the_topic_stands(topic, reply, member, moderator, moderator_client):
    report(reporter=member, kind="post", target_id=reply.pk, reason="harassment")
    item = ReviewItem.objects.get(kind="post", target_id=reply.pk)
    page = moderator_client.get(f"/moderation/items/{item.pk}/").content.decode()
    assert "Lock the topic" in page and "Unlock the topic" not in page
    services.lock_topic(topic=topic, actor=moderator, reason="cooling off")
    page = moderator_client.get(f"/moderation/items/{item.pk}/").content.decode()
    assert "Unlock the topic" in page and "Lock the topic" not in page
