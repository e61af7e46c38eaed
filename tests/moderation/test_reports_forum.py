"""The loop with real forum posts (forum.moderation's adapter): report, queue, remove, appeal, restore."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditAction, AuditEntry
from forum.models import ContentState
from members.audience import Audience
from moderation import services
from moderation.models import ReviewItem
from notifications.models import Notification
from tests.factories import UserFactory, programme_group
from tests.forum.factories import make_category, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(member2):
    topic = make_topic(
        category=make_category(name="Coping"), author=member2, title="Bad day", body="Leave me alone, idiots"
    )
    return topic.posts.get()


def test_report_remove_appeal_restore(post, member, member2, member_client, moderator, moderator_client, client_for):
    response = member_client.post(f"/report/post/{post.pk}/", {"reason": "harassment", "note": "Rude"})
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    page = moderator_client.get("/moderation/").content.decode()
    assert "Forum post: Topic “Bad day” in Coping" in page and "Leave me alone, idiots" in page
    item = ReviewItem.objects.get(kind="post")
    response = moderator_client.post(
        f"/moderation/items/{item.pk}/", {"intent": "decide", "decision": "remove", "reason": "Name-calling"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.state == ContentState.REMOVED
    assert Notification.objects.filter(recipient=member, kind="report_reviewed").count() == 1
    author = client_for(member2)
    assert "Name-calling" in author.get("/my-standing/").content.decode()
    author.post(f"/my-standing/appeal/decision/{item.pk}/", {"message": "I was upset."})
    appeal = item.appeal
    staff_response = moderator_client.post(
        f"/moderation/appeals/{appeal.pk}/", {"decision": "grant", "note": "Understood"}
    )
    assert staff_response.status_code == 302
    post.refresh_from_db()
    assert post.state == ContentState.VISIBLE
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {AuditAction.REMOVE_POST, AuditAction.GRANT_APPEAL, AuditAction.RESTORE_POST} <= actions


def test_a_teen_post_is_hidden_from_an_uncleared_moderator(teen_member, moderator_client, staff_client, client_for):
    topic = make_topic(category=make_category(audience=Audience.TEENS), author=teen_member, body="Teen words here")
    other_teen = UserFactory(year_of_birth=teen_member.year_of_birth, programme_groups=[programme_group("teen-group")])
    response = client_for(other_teen).post(f"/report/post/{topic.posts.get().pk}/", {"reason": "spam"})
    assert response.status_code == 302
    item = ReviewItem.objects.get()
    assert item.in_teen_space
    assert "Teen words here" not in moderator_client.get("/moderation/").content.decode()
    assert moderator_client.get(f"/moderation/items/{item.pk}/").status_code == 404
    assert staff_client.get(f"/moderation/items/{item.pk}/").status_code == 200


def test_an_adult_cannot_report_a_teen_post(teen_member, member_client):
    topic = make_topic(category=make_category(audience=Audience.TEENS), author=teen_member, body="Teen words")
    assert member_client.get(f"/report/post/{topic.posts.get().pk}/").status_code == 404


def test_queue_queries_do_not_grow_with_real_posts(member, moderator_client):
    category = make_category()

    def report_one():
        post = make_topic(category=category, author=UserFactory(), body="Something odd").posts.get()
        services.report(reporter=member, kind="post", target_id=post.pk, reason="spam")

    report_one()
    moderator_client.get("/moderation/")
    with CaptureQueriesContext(connection) as one:
        moderator_client.get("/moderation/")
    for _ in range(9):
        report_one()
    with CaptureQueriesContext(connection) as ten:
        page = moderator_client.get("/moderation/").content.decode()
    assert page.count('<li class="mod-item') == 10
    assert len(ten.captured_queries) == len(one.captured_queries)
