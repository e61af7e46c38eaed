"""The ground for moderation: states every selector respects, and audited services."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry
from forum import permissions, selectors, services
from forum.models import ContentState

from .factories import make_category, make_reply, make_topic


@pytest.fixture
def topic(adult_category, member):
    return make_topic(category=adult_category, author=member, title="Holiday stress", body="Family dinners are hard")


def _audit(action):
    return AuditEntry.objects.get(action=action)


def test_hide_post_audits_and_leaves_a_placeholder(topic, member2, moderator, member2_client, moderator_client):
    reply = make_reply(topic=topic, author=member2, body="Something unkind")
    services.hide_post(post=reply, actor=moderator, reason="Unkind to another member")
    entry = _audit("hide_post")
    assert entry.actor == moderator and entry.reason == "Unkind to another member" and entry.target_id == str(reply.pk)
    page = member2_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert "hidden by the moderators" in page and "Something unkind" not in page
    assert "Something unkind" in moderator_client.get(f"/forum/t/{topic.pk}/").content.decode()
    topic.refresh_from_db()
    assert topic.reply_count == 0


def test_remove_and_restore_post(topic, member2, moderator, member_client):
    reply = make_reply(topic=topic, author=member2, body="Off topic")
    services.remove_post(post=reply, actor=moderator, reason="Spam")
    assert "removed by a moderator" in member_client.get(f"/forum/t/{topic.pk}/").content.decode()
    services.restore_post(post=reply, actor=moderator, reason="On appeal")
    assert "Off topic" in member_client.get(f"/forum/t/{topic.pk}/").content.decode()
    assert [e.action for e in AuditEntry.objects.order_by("id")] == ["remove_post", "restore_post"]
    topic.refresh_from_db()
    assert topic.reply_count == 1


def test_hiding_the_opening_post_hides_the_topic_from_members(topic, member2, moderator, adult_category):
    services.hide_post(post=topic.posts.get(position=1), actor=moderator, reason="Checking")
    assert list(selectors.topics_in_category(member2, adult_category)) == []
    assert [t.pk for t in selectors.topics_in_category(moderator, adult_category)] == [topic.pk]
    adult_category.refresh_from_db()
    assert adult_category.topic_count == 0 and adult_category.last_topic is None
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.topic_for(member2, topic.pk)


def test_held_topic_is_seen_by_author_and_moderators_only(topic, member, member2, moderator, adult_category):
    topic.state = ContentState.HELD  # the watched-words issue will hold posts; here the state is set directly
    topic.save()
    topic.posts.update(state=ContentState.HELD)
    assert [t.pk for t in selectors.topics_in_category(member, adult_category)] == [topic.pk]
    assert list(selectors.topics_in_category(member2, adult_category)) == []
    assert permissions.can_see_topic(moderator, topic)
    assert not permissions.can_see_topic(member2, topic)


def test_lock_topic_audited_and_blocks_members_not_moderators(topic, member2, moderator):
    services.lock_topic(topic=topic, actor=moderator, reason="Resolved")
    assert _audit("lock_topic").reason == "Resolved"
    with pytest.raises(PermissionDenied):
        permissions.check_reply(member2, topic)
    permissions.check_reply(moderator, topic)
    services.lock_topic(topic=topic, actor=moderator, reason="Reopened", locked=False)
    permissions.check_reply(member2, topic)
    assert _audit("unlock_topic").actor == moderator


def test_pin_topic_audited_and_first_in_list(topic, adult_category, member2, moderator):
    newer = make_topic(category=adult_category, author=member2, title="Newer")
    assert selectors.topics_in_category(member2, adult_category)[0].pk == newer.pk
    services.pin_topic(topic=topic, actor=moderator, reason="Helpful")
    assert selectors.topics_in_category(member2, adult_category)[0].pk == topic.pk
    assert _audit("pin_topic").target_repr == "Holiday stress"


def test_move_topic_updates_counts_and_audience(topic, adult_category, moderator, rp_member, member):
    from members.audience import Audience
    from tests.factories import programme_group

    rp = make_category(name="RP", audience=Audience.GROUPS, groups=[programme_group("relapse-prevention")])
    services.move_topic(topic=topic, to_category=rp, actor=moderator, reason="Belongs to the group")
    adult_category.refresh_from_db()
    rp.refresh_from_db()
    assert adult_category.topic_count == 0 and rp.topic_count == 1 and rp.last_topic == topic
    assert "Adults -> RP" not in _audit("move_topic").reason and "Belongs to the group" in _audit("move_topic").reason
    # The audience follows the category: the adult outside the group no longer sees it.
    assert not permissions.can_see_topic(member, topic)
    assert permissions.can_see_topic(rp_member, topic)


def test_members_cannot_moderate(topic, member2, adult_category):
    with pytest.raises(PermissionDenied):
        permissions.check_moderate_forum(member2)
    with pytest.raises(PermissionDenied):
        permissions.check_move_topic(member2, topic, adult_category)


def test_moderator_cannot_move_into_a_category_they_cannot_see(topic, moderator, teen_category):
    from django.http import Http404

    with pytest.raises(Http404):
        permissions.check_move_topic(moderator, topic, teen_category)  # not teen-cleared
