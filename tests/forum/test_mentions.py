"""@mentions: who is linked and notified, and who is not."""

import pytest

from forum import services
from forum.markup import render_post
from notifications.models import Notification
from tests.factories import UserFactory, programme_group, teen_year

from .factories import make_reply, make_topic


@pytest.fixture
def sam_r(db):
    return UserFactory(display_name="Sam R")


def test_underscore_and_bracket_syntax_link_and_notify(adult_category, member2, sam_r):
    topic = make_topic(category=adult_category, author=member2, body="Thanks @sam_r and @[Sam R]!")
    post = topic.posts.get()
    assert post.html.count(f'href="/forum/members/{sam_r.pk}/"') == 2 and "@Sam R" in post.html
    # One notification even though named twice.
    note = Notification.objects.get(recipient=sam_r)
    assert note.kind == "forum_mention" and "Jordan mentioned you" in note.text
    assert note.url == f"/forum/p/{post.pk}/"


def test_mention_outside_the_audience_links_nothing_and_notifies_no_one(rp_category, rp_member, member, teen_member):
    text = "Hi @Sam and @Riley"  # an adult outside the group, and a teen
    topic = make_topic(category=rp_category, author=rp_member, body=text)
    html = topic.posts.get().html
    assert "<a" not in html and "@Sam" in html and "@Riley" in html
    assert not Notification.objects.filter(recipient__in=[member, teen_member]).exists()


def test_teen_cannot_reach_adults_by_mention(teen_category, teen_member, member):
    topic = make_topic(category=teen_category, author=teen_member, body="@Sam hello")
    assert "<a" not in topic.posts.get().html
    assert not Notification.objects.filter(recipient=member).exists()


def test_group_member_is_mentioned_in_their_groups_category(rp_category, rp_member):
    other = UserFactory(display_name="Morgan", programme_groups=[programme_group("relapse-prevention")])
    make_topic(category=rp_category, author=rp_member, body="@Morgan are you coming Thursday?")
    assert Notification.objects.filter(recipient=other, kind="forum_mention").count() == 1


def test_mentions_in_code_emails_and_unknown_names_stay_text(adult_category, member, member2):
    rendered = render_post("`@Sam` and sam@example.com and @Nobody_here", adult_category)
    assert rendered.mentioned == [] and "<a" not in rendered.html.replace('href="mailto', "")


def test_muted_topic_hears_no_mentions(adult_category, member, member2):
    topic = make_topic(category=adult_category, author=member2)
    services.set_subscription(user=member, topic=topic, level="muted")
    make_reply(topic=topic, author=member2, body="@Sam what do you think?")
    assert not Notification.objects.filter(recipient=member).exists()


def test_edit_notifies_only_newly_mentioned(adult_category, member, member2, sam_r, django_capture_on_commit_callbacks):
    post = make_topic(category=adult_category, author=member2, body="Hi @Sam").posts.get()
    # Notices leave once the edit is committed (forum.tasks).
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_post(post=post, editor=member2, body="Hi @Sam and @Sam_R", base_revision=1)
    assert Notification.objects.filter(recipient=member).count() == 1
    assert Notification.objects.filter(recipient=sam_r).count() == 1


def test_inactive_or_unapproved_members_are_not_mentioned(adult_category, member2):
    UserFactory(display_name="Applicant A", approved_at=None)
    UserFactory(display_name="Gone G", is_active=False, year_of_birth=teen_year() - 10)
    rendered = render_post("@Applicant_A @Gone_G", adult_category)
    assert rendered.mentioned == []


def test_the_bell_counts_the_mention(adult_category, member, member2, member_client):
    make_topic(category=adult_category, author=member2, body="@Sam welcome back")
    page = member_client.get("/forum/").content.decode()
    assert 'aria-label="1 unread"' in page
    assert "Jordan mentioned you" in member_client.get("/notifications/").content.decode()
