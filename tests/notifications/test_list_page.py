"""The notifications page: times in words from Django's humanize ("now", never "0 minutes ago"), a button to
mark each unread notice read, and a fixed number of queries however many notices there are."""

import re
from datetime import timedelta

import pytest
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notify, notify_reaction
from tests.factories import UserFactory
from tests.forum.factories import make_topic


def _notice_at(member, seconds_ago: int, text: str) -> Notification:
    notice = notify(recipient=member, kind="welcome", text=text)
    Notification.objects.filter(pk=notice.pk).update(created_at=timezone.now() - timedelta(seconds=seconds_ago))
    return notice


def test_under_a_minute_reads_now_or_seconds_never_zero_minutes():
    now = timezone.now()
    assert naturaltime(now) == "now"
    assert naturaltime(now - timedelta(seconds=30)) == "30\xa0seconds ago"
    assert naturaltime(now - timedelta(seconds=59, milliseconds=900)) == "59\xa0seconds ago"
    assert naturaltime(now - timedelta(seconds=61)) == "a minute ago"


def test_times_on_the_page_read_as_words(member, member_client):
    for seconds, text in [(0, "just now"), (30, "half a minute"), (61, "a minute"), (300, "five minutes")]:
        _notice_at(member, seconds, text)
    page = member_client.get("/notifications/").content.decode()
    assert re.search(r">(now|a second ago|\d\xa0seconds ago)</time>", page)
    assert re.search(r">3\d\xa0seconds ago</time>", page)
    assert ">a minute ago</time>" in page and ">5\xa0minutes ago</time>" in page
    assert "0\xa0minutes" not in page and "0 minutes" not in page


def test_marking_one_notice_read(member, member_client):
    first = _notice_at(member, 10, "First news")
    second = _notice_at(member, 5, "Second news")
    page = member_client.get("/notifications/").content.decode()
    assert page.count(">Mark as read</button>") == 2
    assert f'aria-describedby="notice-{first.pk}"' in page
    response = member_client.post(f"/notifications/{first.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert member_client.get("/notifications/").content.decode().count(">Mark as read</button>") == 1


def test_nobody_marks_another_members_notice(member, member2_client):
    notice = _notice_at(member, 1, "Mine")
    assert member2_client.post(f"/notifications/{notice.pk}/read/").status_code == 404
    assert member2_client.get(f"/notifications/{notice.pk}/read/").status_code == 405
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_badge_is_in_the_page_for_the_live_bell_even_at_zero(member_client):
    page = member_client.get("/notifications/").content.decode()
    assert 'data-bell-socket="/ws/notifications/" hidden' in page
    assert "/static/js/bell.js" in page


@pytest.mark.parametrize("n", [1, 20])
def test_the_page_runs_a_fixed_number_of_queries(n, member, adult_category, client_for, django_assert_num_queries):
    post = make_topic(category=adult_category, author=member).posts.get()
    for i in range(n):
        notify(recipient=member, kind="welcome", text=f"Note {i}")
        other = make_topic(category=adult_category, author=member).posts.get()
        notify_reaction(recipient=member, actor=UserFactory(), target=other)
        notify_reaction(recipient=member, actor=UserFactory(), target=post)
    client = client_for(member)
    client.get("/notifications/")
    # session, user, role names, the list, forum posts, the reader's blocks (forum's resolver, once per request);
    # then the bell: its unread notices, forum posts.
    with django_assert_num_queries(LIST_PAGE_QUERIES):
        page = client.get("/notifications/").content.decode()
    assert page.count("sent support to your post") == n + 1
    assert page.count(">Mark as read</button>") == 2 * n + 1


LIST_PAGE_QUERIES = 8
