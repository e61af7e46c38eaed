"""Starting topics, the topic list, and input the forum refuses (clear message, nothing written)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import services
from forum.models import Post, Subscription, Topic
from forum.services import ForumError

from .factories import make_topic


def _counts():
    return Topic.objects.count(), Post.objects.count()


def test_member_starts_a_topic_with_a_content_warning(adult_category, member, member_client, member2_client):
    response = member_client.post(
        f"/forum/c/{adult_category.slug}/new/",
        {"title": "A hard week", "body": "Some **honest** words.", "content_warning": "relapse"},
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/forum/t/{topic.pk}/"
    page = member2_client.get(response["Location"]).content.decode()
    # Collapsed until opened, and it works without JavaScript.
    assert '<details class="content-warning">' in page and "<summary>CW: relapse <span" in page
    assert "<strong>honest</strong>" in page
    assert Subscription.objects.get(user=member, topic=topic).level == Subscription.Level.WATCHING


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "", "body": "Hello"}, "Please give your topic a title."),
        ({"title": "   ", "body": "Hello"}, "Please give your topic a title."),
        ({"title": "x" * 201, "body": "Hello"}, "200 characters or fewer"),
        ({"title": "Hello", "body": ""}, "Please write something before posting."),
        ({"title": "Hello", "body": "x" * 20_001}, "20,000 characters or fewer"),
        ({"title": "Hello", "body": "Hi", "content_warning": "x" * 201}, "200 characters"),
    ],
)
def test_bad_topic_input_gets_a_clear_message_and_writes_nothing(adult_category, member_client, data, message):
    response = member_client.post(f"/forum/c/{adult_category.slug}/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _counts() == (0, 0)


def test_the_service_refuses_the_same_input(adult_category, member):
    for title, body in [("", "x"), ("x" * 201, "x"), ("ok", ""), ("ok", "x" * 20_001)]:
        with pytest.raises(ForumError):
            services.create_topic(category=adult_category, author=member, title=title, body=body)
    assert _counts() == (0, 0)


def test_locked_category_refuses_members_but_not_moderators(adult_category, member_client, moderator_client):
    adult_category.locked = True
    adult_category.save()
    page = member_client.get(f"/forum/c/{adult_category.slug}/new/")
    assert page.status_code == 403 and "new topics are closed" in page.content.decode()
    response = member_client.post(f"/forum/c/{adult_category.slug}/new/", {"title": "Hi", "body": "Hello"})
    assert response.status_code == 403
    assert "This category is locked" in response.content.decode()
    assert _counts() == (0, 0)
    response = moderator_client.post(f"/forum/c/{adult_category.slug}/new/", {"title": "Notice", "body": "Hello"})
    assert response.status_code == 302 and _counts() == (1, 1)


def test_slow_mode_says_how_long_to_wait(adult_category, member, member_client):
    adult_category.slow_mode_seconds = 120
    adult_category.save()
    make_topic(category=adult_category, author=member)
    response = member_client.post(f"/forum/c/{adult_category.slug}/new/", {"title": "Again", "body": "Hello"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "slow mode" in text and "Please wait 12" in text  # 120 seconds, give or take the test's own time
    assert _counts() == (1, 1)


def test_slow_mode_lets_a_member_post_once_the_time_has_passed(adult_category, member):
    adult_category.slow_mode_seconds = 60
    adult_category.save()
    topic = make_topic(category=adult_category, author=member)
    Post.objects.filter(topic=topic).update(created_at=timezone.now() - timedelta(seconds=61))
    services.create_reply(topic=topic, author=member, body="Later")
    assert topic.posts.count() == 2


def test_topic_list_pinned_first_then_latest_activity_25_a_page(
    adult_category, member, member2, moderator, member_client
):
    topics = [make_topic(category=adult_category, author=member2, title=f"Topic {i:02d}") for i in range(27)]
    services.pin_topic(topic=topics[0], actor=moderator, reason="Welcome post")
    services.create_reply(topic=topics[5], author=member, body="Bumping with news")
    page = member_client.get(f"/forum/c/{adult_category.slug}/").content.decode()
    titles = [t.title for t in Topic.objects.all()]
    order = sorted(titles, key=lambda title: page.find(f">{title}<") if f">{title}<" in page else 10**9)
    assert order[0] == "Topic 00"  # pinned
    assert order[1] == "Topic 05"  # latest reply
    assert page.count('class="topic-row') == 25
    assert "Last post by Sam" in page and "1 reply" in page
    page2 = member_client.get(f"/forum/c/{adult_category.slug}/?page=2").content.decode()
    assert page2.count('class="topic-row') == 2


def test_topic_list_unread_mark_goes_once_read(adult_category, member2, member_client):
    topic = make_topic(category=adult_category, author=member2, title="New here")
    assert "unread-mark" in member_client.get(f"/forum/c/{adult_category.slug}/").content.decode()
    member_client.get(f"/forum/t/{topic.pk}/")
    assert "unread-mark" not in member_client.get(f"/forum/c/{adult_category.slug}/").content.decode()


def test_markup_in_a_title_is_shown_as_text(adult_category, member_client, member2_client):
    member_client.post(f"/forum/c/{adult_category.slug}/new/", {"title": "<b>Grateful</b> <3", "body": "Hi"})
    topic = Topic.objects.get()
    assert topic.title == "<b>Grateful</b> <3"  # stored as written, escaped when shown
    for url in ("/forum/", f"/forum/c/{adult_category.slug}/", f"/forum/t/{topic.pk}/"):
        page = member2_client.get(url).content.decode()
        assert "&lt;b&gt;Grateful&lt;/b&gt; &lt;3" in page and "<b>Grateful" not in page


def test_fresh_activity_reads_just_now(adult_category, member2, member_client):
    make_topic(category=adult_category, author=member2, title="Fresh")
    page = member_client.get("/forum/").content.decode()
    assert "just now" in page and "0 minutes" not in page
