"""Watching, following normally and muting topics and categories."""

from forum import services
from forum.models import Subscription
from notifications.models import Notification

from .factories import make_reply, make_topic


def _notes(user, kind="forum_reply"):
    return Notification.objects.filter(recipient=user, kind=kind)


def test_own_topics_are_watched_and_replies_notify_the_author(adult_category, member, member2):
    topic = make_topic(category=adult_category, author=member, title="Cravings at night")
    reply = make_reply(topic=topic, author=member2, body="Tea and a walk help me")
    note = _notes(member).get()
    assert note.text == "Jordan replied to “Cravings at night”" and note.url == f"/forum/p/{reply.pk}/"
    make_reply(topic=topic, author=member, body="Thank you")
    assert not _notes(member2).exists()  # Jordan follows normally: no reply notices


def test_following_normally_or_muting_stops_reply_notices(adult_category, member, member2, member_client):
    topic = make_topic(category=adult_category, author=member)
    response = member_client.post(f"/forum/t/{topic.pk}/subscription/", {"level": "muted"})
    assert response.status_code == 302
    assert Subscription.objects.get(user=member, topic=topic).level == "muted"
    make_reply(topic=topic, author=member2)
    assert not _notes(member).exists()
    member_client.post(f"/forum/t/{topic.pk}/subscription/", {"level": "normal"})
    make_reply(topic=topic, author=member2)
    assert not _notes(member).exists()
    member_client.post(f"/forum/t/{topic.pk}/subscription/", {"level": "watching"})
    make_reply(topic=topic, author=member2)
    assert _notes(member).count() == 1


def test_watching_a_category_notifies_of_new_topics(adult_category, member, member2, member_client):
    member_client.post(f"/forum/c/{adult_category.slug}/subscription/", {"level": "watching"})
    make_topic(category=adult_category, author=member2, title="Family visits")
    assert _notes(member).get().text == f"New topic in {adult_category.name}: “Family visits”"


def test_a_watcher_who_left_the_audience_hears_nothing(rp_category, rp_member, member2):
    from tests.factories import programme_group

    member2.programme_memberships.create(group=programme_group("relapse-prevention"))
    services.set_subscription(user=member2, category=rp_category, level="watching")
    member2.programme_memberships.all().delete()
    make_topic(category=rp_category, author=rp_member)
    assert not _notes(member2).exists()


def test_unknown_level_changes_nothing(adult_category, member, member_client):
    topic = make_topic(category=adult_category, author=member)
    member_client.post(f"/forum/t/{topic.pk}/subscription/", {"level": "everything"})
    assert Subscription.objects.get(user=member, topic=topic).level == "watching"


def test_outsider_cannot_subscribe(rp_category, rp_member, member_client):
    topic = make_topic(category=rp_category, author=rp_member)
    assert member_client.post(f"/forum/t/{topic.pk}/subscription/", {"level": "watching"}).status_code == 404
    assert member_client.post(f"/forum/c/{rp_category.slug}/subscription/", {"level": "watching"}).status_code == 404
    assert Subscription.objects.filter(user__display_name="Sam").count() == 0
