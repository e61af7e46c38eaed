"""Screening on every forum write: blocked text is refused, held posts wait out of sight, crisis language meets
help, and read-only members cannot write (issue 9)."""

import pytest
from django.core.exceptions import PermissionDenied

from forum import permissions, selectors, services
from forum.models import ContentState, Post, Topic
from moderation.models import ReviewItem
from moderation.services import APPROVE, add_watched_word, decide_item, issue_sanction
from notifications.models import Notification

from .factories import make_reply, make_topic

CRISIS = "I want to kill myself"


@pytest.fixture
def topic(adult_category, member2):
    return make_topic(category=adult_category, author=member2, title="Evenings", body="What helps you unwind?")


@pytest.fixture
def blocked_word(staff):
    return add_watched_word(
        actor=staff,
        kind="phrase",
        pattern="cheap pills online",
        action="block",
        note="Please don't share where to buy substances here.",
    )


@pytest.fixture
def held_word(staff):
    return add_watched_word(actor=staff, kind="phrase", pattern="my new website", action="hold")


# --- block ----------------------------------------------------------------------------------------------------


def test_blocked_reply_is_refused_with_the_reason_and_nothing_is_stored(topic, member_client, blocked_word):
    before = Post.objects.count()
    response = member_client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Get cheap pills online here"})
    assert response.status_code == 400
    assert "Please don&#x27;t share where to buy substances here." in response.content.decode()
    assert Post.objects.count() == before
    assert not ReviewItem.objects.exists()


def test_blocked_topic_title_is_refused(adult_category, member_client, blocked_word):
    response = member_client.post(
        f"/forum/c/{adult_category.slug}/new/", {"title": "Cheap pills online", "body": "Ask me"}
    )
    assert response.status_code == 400 and "buy substances" in response.content.decode()
    assert not Topic.objects.filter(title__icontains="pills").exists()


def test_blocked_edit_keeps_the_old_text(topic, member2, member2_client, blocked_word):
    post = topic.posts.get()
    response = member2_client.post(
        f"/forum/p/{post.pk}/edit/", {"body": "Now: cheap pills online", "base_revision": post.revision}
    )
    assert response.status_code == 400 and "buy substances" in response.content.decode()
    post.refresh_from_db()
    assert post.body == "What helps you unwind?" and post.revision == 1


# --- hold -----------------------------------------------------------------------------------------------------


def test_held_reply_waits_out_of_sight_and_goes_out_when_approved(
    topic,
    member,
    member2,
    moderator,
    member_client,
    member2_client,
    held_word,
    adult_category,
    django_capture_on_commit_callbacks,
):
    response = member_client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Have a look at my new website, @Jordan"})
    post = Post.objects.get(author=member)
    assert response.status_code == 302 and post.state == ContentState.HELD
    # The author sees it, marked, and is told why.
    page = member_client.get(response.url, follow=True).content.decode()
    assert "Awaiting review: a moderator will look at it soon" in page and "my new website" in page
    # Nobody else does: not on the page, not in search, not in counts, not in notifications (no mention yet).
    page = member2_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert "my new website" not in page and "Awaiting review" not in page
    assert post not in selectors.visible_posts_for(member2)
    topic.refresh_from_db()
    assert topic.reply_count == 0
    assert not Notification.objects.filter(recipient=member2).exists()
    with pytest.raises(Exception):  # noqa: B017 -- Http404: the permalink does not exist for others
        selectors.post_for(member2, post.pk)
    item = ReviewItem.objects.get(kind="post", target_id=post.pk)
    assert item.hidden_pending_review and item.status == ReviewItem.Status.OPEN

    with django_capture_on_commit_callbacks(execute=True):  # notices leave once the approval is committed
        decide_item(item=item, actor=moderator, decision=APPROVE, reason="Fine to share")

    post.refresh_from_db()
    topic.refresh_from_db()
    assert post.state == ContentState.VISIBLE and topic.reply_count == 1
    assert "my new website" in member2_client.get(f"/forum/t/{topic.pk}/").content.decode()
    # The notices it would have sent when written go out now: the mention (member2 also watches their topic).
    notice = Notification.objects.get(recipient=member2)
    assert notice.kind == "forum_mention"
    assert "Sam mentioned you" in member2_client.get("/notifications/").content.decode()
    # A later restore (after a hide) does not announce it again.
    services.hide_post(post=post, actor=moderator, reason="Checking")
    services.restore_post(post=post, actor=moderator, reason="All fine")
    assert Notification.objects.filter(recipient=member2).count() == 1


def test_held_opening_post_holds_its_topic(adult_category, member, member2, member_client, member2_client, held_word):
    response = member_client.post(
        f"/forum/c/{adult_category.slug}/new/", {"title": "Hello all", "body": "Visit my new website"}
    )
    topic = Topic.objects.get(title="Hello all")
    assert response.status_code == 302 and topic.state == ContentState.HELD
    assert "Awaiting review" in member_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert member2_client.get(f"/forum/t/{topic.pk}/").status_code == 404
    assert "Hello all" not in member2_client.get(f"/forum/c/{adult_category.slug}/").content.decode()
    adult_category.refresh_from_db()
    assert adult_category.topic_count == 0


def test_new_members_first_posts_are_held(settings, topic, member, moderator):
    settings.MODERATION_NEW_MEMBER_HOLD_POSTS = 2
    first = make_reply(topic=topic, author=member, body="Hi, I'm new")
    assert first.state == ContentState.HELD
    item = ReviewItem.objects.get(target_id=first.pk)
    assert item.source == ReviewItem.Source.NEW_MEMBER
    decide_item(item=item, actor=moderator, decision=APPROVE, reason="Welcome")
    second = make_reply(topic=topic, author=member, body="Second one")
    assert second.state == ContentState.HELD  # one published so far, fewer than two
    decide_item(item=ReviewItem.objects.get(target_id=second.pk), actor=moderator, decision=APPROVE, reason="Ok")
    third = make_reply(topic=topic, author=member, body="Third one")
    assert third.state == ContentState.VISIBLE
    # Moderators' writing is never held.
    assert make_reply(topic=topic, author=moderator, body="Welcome!").state == ContentState.VISIBLE


def test_counting_first_posts_is_one_query(settings, member, django_assert_num_queries):
    settings.MODERATION_NEW_MEMBER_HOLD_POSTS = 2
    assert not member.is_moderator  # roles are read once per request anyway; the count itself is one query
    with django_assert_num_queries(1):
        assert services.is_in_first_posts(member)
    settings.MODERATION_NEW_MEMBER_HOLD_POSTS = 0
    with django_assert_num_queries(0):
        assert not services.is_in_first_posts(member)


# --- crisis ---------------------------------------------------------------------------------------------------


def test_crisis_reply_is_published_and_the_author_sees_help_once(topic, member, member_client, member2_client):
    response = member_client.post(f"/forum/t/{topic.pk}/reply/", {"body": CRISIS})
    post = Post.objects.get(author=member)
    assert post.state == ContentState.VISIBLE
    page = member_client.get(response.url, follow=True).content.decode()
    assert 'id="crisis-help"' in page and 'href="tel:988"' in page
    # Once, and only for the writer.
    assert 'id="crisis-help"' not in member_client.get(f"/forum/t/{topic.pk}/").content.decode()
    other = member2_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert CRISIS in other and 'id="crisis-help"' not in other
    item = ReviewItem.objects.get(kind="post", target_id=post.pk)
    assert item.urgent and item.source == ReviewItem.Source.CRISIS and not item.hidden_pending_review


def test_crisis_topic_shows_help_on_the_new_topic(adult_category, member_client):
    response = member_client.post(
        f"/forum/c/{adult_category.slug}/new/", {"title": "Tonight", "body": f"Honestly, {CRISIS}."}
    )
    page = member_client.get(response.url).content.decode()
    assert 'id="crisis-help"' in page
    assert ReviewItem.objects.get(urgent=True).kind == "post"


def test_crisis_text_is_held_when_the_setting_says_so(settings, topic, member, member2):
    settings.MODERATION_HOLD_CRISIS = True
    post = make_reply(topic=topic, author=member, body=CRISIS)
    assert post.state == ContentState.HELD and post.decision.crisis
    assert ReviewItem.objects.get(target_id=post.pk).urgent


def test_crisis_edit_shows_help(topic, member2, member2_client):
    post = topic.posts.get()
    response = member2_client.post(f"/forum/p/{post.pk}/edit/", {"body": CRISIS, "base_revision": 1})
    assert 'id="crisis-help"' in member2_client.get(response.url, follow=True).content.decode()
    assert ReviewItem.objects.get(target_id=post.pk).urgent


# --- read-only members ------------------------------------------------------------------------------------------


@pytest.fixture
def muted(member, moderator):
    issue_sanction(member=member, kind="mute", days=1, actor=moderator, reason="Cooling off")
    member.refresh_from_db()
    return member


def test_muted_member_cannot_reply_start_topics_edit_or_react(muted, topic, adult_category, member_client):
    own = make_topic(category=adult_category, author=muted, title="Before the mute")  # written before
    other_post = topic.posts.get()
    reply = member_client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Hello"})
    assert reply.status_code == 403 and "/my-standing/" in reply.content.decode()
    new = member_client.post(f"/forum/c/{adult_category.slug}/new/", {"title": "T", "body": "B"})
    assert new.status_code == 403
    assert member_client.get(f"/forum/c/{adult_category.slug}/new/").status_code == 403
    edit = member_client.get(f"/forum/p/{own.posts.get().pk}/edit/")
    assert edit.status_code == 403 and "read-only" in edit.content.decode()
    react = member_client.post(f"/forum/p/{other_post.pk}/react/", {"reaction": "+hug"})
    assert react.status_code == 403
    assert Post.objects.filter(author=muted).count() == 1
    # Reading and bookmarking still work; the page says why there is no composer, and offers no Report link.
    page = member_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert "read-only" in page and 'id="composer"' not in page and "/report/post/" not in page
    assert member_client.post(f"/forum/p/{other_post.pk}/bookmark/", {"on": "1"}).status_code == 302


def test_read_only_checks(muted, topic, adult_category):
    with pytest.raises(PermissionDenied):
        permissions.check_reply(muted, topic)
    with pytest.raises(PermissionDenied):
        permissions.check_start_topic(muted, adult_category)
    assert not permissions.can_reply(muted, topic) and not permissions.can_start_topic(muted, adult_category)


def test_mute_expiry_lets_the_member_write_again(muted, topic, member_client):
    from django.utils import timezone

    # The mute's end arrives (the two ends the account mirrors move to now, as time passing would make them).
    type(muted).objects.filter(pk=muted.pk).update(restricted_until=timezone.now(), read_only_until=timezone.now())
    assert member_client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Back"}).status_code == 302


def test_a_post_held_after_an_edit_leaves_others_notifications(topic, member, member2, member2_client, held_word):
    reply = make_reply(topic=topic, author=member, body="Thanks @Jordan")
    assert "Sam mentioned you" in member2_client.get("/notifications/").content.decode()
    services.edit_post(post=reply, editor=member, body="Thanks @Jordan, see my new website", base_revision=1)
    reply.refresh_from_db()
    assert reply.state == ContentState.HELD
    assert "Sam mentioned you" not in member2_client.get("/notifications/").content.decode()
    assert "my new website" not in member2_client.get(f"/forum/t/{topic.pk}/").content.decode()
