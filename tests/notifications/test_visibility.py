"""A notice shows only what its reader may see now: titles of hidden, removed or moved-away topics and removed
chat messages never show, in the list or in the bell's count; and no notice is made about what the reader
cannot see."""

import importlib

import pytest
from django.apps import apps as django_apps

from chat import services as chat_services
from forum import services
from members.audience import Audience
from notifications import selectors
from notifications.models import Notification
from notifications.services import notify
from tests.chat.factories import RoomFactory
from tests.factories import programme_group
from tests.forum.factories import make_category, make_reply, make_topic

SECRET = "Hard week after the funeral"


@pytest.fixture
def mentioned(adult_category, member, member2):
    """Jordan mentions Sam in a topic whose title should stay private once a moderator takes it down."""
    topic = make_topic(category=adult_category, author=member2, title=SECRET, body="@Sam could you read this?")
    return topic


def _page(client) -> str:
    return client.get("/notifications/").content.decode()


def test_a_visible_mention_shows_its_title_and_counts(mentioned, member, member_client):
    assert SECRET in _page(member_client)
    assert selectors.unread_count(member) == 1
    assert 'aria-label="1 unread"' in member_client.get("/forum/").content.decode()


@pytest.mark.parametrize("take_down", [services.hide_post, services.remove_post])
def test_a_hidden_or_removed_topic_leaves_no_title_and_no_count(take_down, mentioned, member, moderator, member_client):
    take_down(post=mentioned.posts.get(position=1), actor=moderator, reason="private details")
    page = _page(member_client)
    assert SECRET not in page
    assert "mentioned you" not in page
    assert selectors.unread_count(member) == 0
    assert "unread" not in member_client.get("/forum/").content.decode().split("</nav>")[0]
    # The moderator still sees the topic, so a notice to them would still show; the member's comes back on restore.
    services.restore_post(post=mentioned.posts.get(position=1), actor=moderator, reason="ok after edit")
    assert SECRET in _page(member_client)


def test_a_reply_notice_in_a_topic_later_hidden_disappears(
    adult_category, member, member2, moderator, member_client, member2_client
):
    topic = make_topic(category=adult_category, author=member2, title=SECRET)
    services.set_subscription(user=member, level="watching", topic=topic)
    make_reply(topic=topic, author=moderator, body="thinking of you")
    assert f"replied to “{SECRET}”" in _page(member_client)
    services.hide_post(post=topic.posts.get(position=1), actor=moderator, reason="x")
    assert SECRET not in _page(member_client) and selectors.unread_count(member) == 0
    # Its author still reads their own hidden topic (with the moderator's reason), so their notice stays.
    assert f"replied to “{SECRET}”" in _page(member2_client)


def test_a_topic_moved_out_of_the_readers_audience_disappears(mentioned, member, moderator, member_client):
    group_only = make_category(
        name="Relapse Prevention alumni", audience=Audience.GROUPS, groups=[programme_group("relapse-prevention")]
    )
    services.move_topic(topic=mentioned, to_category=group_only, actor=moderator, reason="belongs there")
    assert SECRET not in _page(member_client)
    assert selectors.unread_count(member) == 0


def test_a_category_turned_teens_only_hides_its_notices(mentioned, adult_category, member, member_client):
    adult_category.audience = Audience.TEENS
    adult_category.save(update_fields=["audience"])
    assert SECRET not in _page(member_client) and selectors.unread_count(member) == 0


def test_a_renamed_topic_reads_with_its_new_title(mentioned, member_client):
    mentioned.title = "A better week"
    mentioned.save(update_fields=["title"])
    page = _page(member_client)
    assert "Jordan mentioned you in “A better week”" in page and SECRET not in page


def test_opening_a_notice_whose_topic_is_gone_does_not_lead_there(mentioned, member, moderator, member_client):
    notice = Notification.objects.get(recipient=member)
    assert member_client.post(f"/notifications/{notice.pk}/open/").url == f"/forum/p/{notice.target_id}/"
    services.remove_post(post=mentioned.posts.get(position=1), actor=moderator, reason="x")
    response = member_client.post(f"/notifications/{notice.pk}/open/", follow=True)
    assert response.redirect_chain[-1][0] == "/notifications/"
    assert "no longer available" in response.content.decode() and SECRET not in response.content.decode()


def test_nobody_opens_another_members_notice(mentioned, member, member2_client):
    notice = Notification.objects.get(recipient=member)
    assert member2_client.post(f"/notifications/{notice.pk}/open/").status_code == 404


def test_no_mention_notice_is_made_for_a_topic_the_member_cannot_see(adult_category, member, member2, moderator):
    topic = make_topic(category=adult_category, author=member2, title=SECRET)
    services.hide_post(post=topic.posts.get(position=1), actor=moderator, reason="x")
    make_reply(topic=topic, author=moderator, body="@Sam and @Jordan, this topic is paused")
    assert not Notification.objects.filter(recipient=member).exists()
    # Jordan wrote the topic and still reads it hidden (with the moderator's reason), so the mention reaches them.
    assert Notification.objects.filter(recipient=member2).exists()


def test_chat_mentions_follow_the_message_and_the_room(member, member2, moderator, client_for, committed):
    room = RoomFactory(name="Evening circle")
    with committed():  # chat may tell the mentioned after its commit
        message = chat_services.post_message(room=room, author=member2, body="@Sam welcome").message
    sam = client_for(member)
    assert "Jordan mentioned you in the Evening circle chat room" in _page(sam)
    room.audience = Audience.TEENS
    room.save(update_fields=["audience"])
    assert "Evening circle" not in _page(sam) and selectors.unread_count(member) == 0
    room.audience = Audience.ADULTS
    room.save(update_fields=["audience"])
    chat_services.remove_message(message=message, actor=moderator, reason="x")
    assert "Evening circle" not in _page(sam) and selectors.unread_count(member) == 0


def test_a_notice_without_a_target_shows_as_written(member, member_client):
    notify(recipient=member, kind="welcome", text="Welcome to the community", url="/forum/")
    assert "Welcome to the community" in _page(member_client)
    assert selectors.unread_count(member) == 1


def test_older_notices_get_their_target_from_their_address(mentioned, member, moderator, member_client):
    # As rows written before targets existed: text and address only.
    Notification.objects.filter(recipient=member).update(target_type="", target_id=None)
    migration = importlib.import_module("notifications.migrations.0003_targets_from_urls")
    migration.set_targets(django_apps, None)
    notice = Notification.objects.get(recipient=member)
    assert (notice.target_type, notice.target_id) == ("forum.post", mentioned.posts.get(position=1).pk)
    services.hide_post(post=mentioned.posts.get(position=1), actor=moderator, reason="x")
    assert SECRET not in _page(member_client)


def _mentions(n, category, author, reader_name="Sam"):
    for i in range(n):
        make_topic(category=category, author=author, title=f"Topic {i}", body=f"@{reader_name} see this")


@pytest.mark.parametrize("n", [1, 25])
def test_the_list_page_runs_a_fixed_number_of_queries(
    n, adult_category, member, member2, client_for, django_assert_num_queries, settings, committed
):
    settings.CHAT_FLOOD_LIMITS = ((10_000, 30), (10_000, 30))  # flood control is tested in tests/chat
    _mentions(n, adult_category, member2)
    room = RoomFactory()
    with committed():  # chat may tell the mentioned after its commit
        for _ in range(n):
            chat_services.post_message(room=room, author=member2, body="@Sam hello")
    client = client_for(member)
    client.get("/notifications/")  # session and user caches warm, as on any later page
    # session, user, role names (moderator check), the list, chat messages, forum posts, the reader's blocks
    # (forum's resolver, once per request), then the bell: its unread notices, chat messages, forum posts.
    with django_assert_num_queries(LIST_PAGE_QUERIES):
        page = client.get("/notifications/").content.decode()
    assert page.count("mentioned you") == 2 * n


LIST_PAGE_QUERIES = 10
