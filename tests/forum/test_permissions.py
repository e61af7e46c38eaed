"""The permission twins agree with the checks, for insiders and outsiders."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from forum import permissions, services
from forum.services import ForumError
from members.audience import Audience
from tests.factories import programme_group

from .factories import make_reply, make_topic


def test_can_and_check_agree_on_replying(adult_category, member, member2, moderator, teen_member):
    topic = make_topic(category=adult_category, author=member)
    assert permissions.can_reply(member2, topic)
    permissions.check_reply(member2, topic)
    services.lock_topic(topic=topic, actor=moderator, reason="x")
    assert not permissions.can_reply(member2, topic)
    with pytest.raises(PermissionDenied):
        permissions.check_reply(member2, topic)
    assert permissions.can_reply(moderator, topic)
    with pytest.raises(Http404):
        permissions.check_reply(teen_member, topic)  # outsider: the topic does not exist for them


def test_locked_category_blocks_replies_too(adult_category, member, member2):
    topic = make_topic(category=adult_category, author=member)
    adult_category.locked = True
    adult_category.save()
    topic.refresh_from_db()
    assert not permissions.can_reply(member2, topic) and not permissions.can_start_topic(member2, adult_category)
    with pytest.raises(PermissionDenied, match="category is locked"):
        permissions.check_reply(member2, topic)


def test_edit_remove_and_history_rights(adult_category, member, member2, moderator):
    post = make_reply(topic=make_topic(category=adult_category, author=member), author=member, body="Mine")
    assert permissions.can_edit_post(member, post) and not permissions.can_edit_post(member2, post)
    assert permissions.can_remove_own_post(member, post) and not permissions.can_remove_own_post(moderator, post)
    assert permissions.can_see_history(moderator, post) and not permissions.can_see_history(member2, post)
    with pytest.raises(PermissionDenied):
        permissions.check_edit_post(moderator, post)  # moderators hide or remove; they do not rewrite
    services.hide_post(post=post, actor=moderator, reason="x")
    assert not permissions.can_edit_post(member, post)
    with pytest.raises(PermissionDenied):
        permissions.check_edit_post(member, post)


def test_someone_elses_held_post_does_not_exist(adult_category, member, member2, moderator):
    post = make_reply(topic=make_topic(category=adult_category, author=member2), author=member, body="held")
    post.state = "held"
    post.save()
    permissions.check_see_post(member, post)
    permissions.check_see_post(moderator, post)
    with pytest.raises(Http404):
        permissions.check_see_post(member2, post)


def test_category_audience_rules_for_staff_services(staff):
    rp, teen = programme_group("relapse-prevention"), programme_group("teen-group")
    with pytest.raises(ForumError, match="at least one programme group"):
        services.create_category(actor=staff, name="Empty", audience=Audience.GROUPS)
    with pytest.raises(ForumError, match="Teen spaces"):
        services.create_category(actor=staff, name="Mixed", audience=Audience.GROUPS, programme_groups=[rp, teen])
    category = services.create_category(actor=staff, name="Adults", programme_groups=[rp])
    assert list(category.programme_groups.all()) == []  # groups only matter for the groups audience
    with pytest.raises(TypeError):
        services.update_category(category=category, actor=staff, slug="sneaky")
