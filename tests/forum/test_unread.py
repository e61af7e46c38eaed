"""Unread marks on categories and topics, and the read marker."""

from forum import selectors, services
from forum.models import ReadState

from .factories import make_reply, make_topic


def _category_unread(user, category):
    return next(c.has_unread for c in selectors.category_list_for(user) if c.pk == category.pk)


def test_new_reply_makes_a_read_topic_unread_again(adult_category, member, member2, member_client):
    topic = make_topic(category=adult_category, author=member2)
    assert _category_unread(member, adult_category)
    member_client.get(f"/forum/t/{topic.pk}/")
    assert not _category_unread(member, adult_category)
    make_reply(topic=topic, author=member2)
    assert _category_unread(member, adult_category)
    assert ReadState.objects.get(user=member, topic=topic).last_read_position == 1


def test_own_posts_are_read(adult_category, member):
    make_topic(category=adult_category, author=member)
    assert not _category_unread(member, adult_category)


def test_muted_topics_do_not_count_as_unread(adult_category, member, member2):
    topic = make_topic(category=adult_category, author=member2)
    services.set_subscription(user=member, topic=topic, level="muted")
    assert not _category_unread(member, adult_category)


def test_hidden_posts_do_not_make_a_topic_unread(adult_category, member, member2, moderator, member_client):
    topic = make_topic(category=adult_category, author=member2)
    member_client.get(f"/forum/t/{topic.pk}/")
    reply = make_reply(topic=topic, author=member2, body="to be hidden")
    services.hide_post(post=reply, actor=moderator, reason="x")
    assert not _category_unread(member, adult_category)


def test_read_marker_never_moves_back(adult_category, member, member2, member_client):
    topic = make_topic(category=adult_category, author=member2)
    for i in range(25):
        make_reply(topic=topic, author=member2, body=f"r{i}")
    member_client.get(f"/forum/t/{topic.pk}/?page=2")
    member_client.get(f"/forum/t/{topic.pk}/?page=1")
    assert ReadState.objects.get(user=member, topic=topic).last_read_position == 26


def test_out_of_range_pages_show_the_last_page(adult_category, member, member2, member_client):
    topic = make_topic(category=adult_category, author=member2)
    for page in ("999", "-3", "abc"):
        assert member_client.get(f"/forum/t/{topic.pk}/?page={page}").status_code == 200
