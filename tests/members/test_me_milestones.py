"""The private recovery counter on /me/: only its owner ever sees the date or the count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import User

pytestmark = pytest.mark.django_db


def _start(client, when):
    return client.post("/me/", {"form": "milestone", "start": when.isoformat()})


def test_the_member_sees_their_count(member_client, member):
    start = timezone.localdate() - timedelta(days=45)
    assert _start(member_client, start).status_code == 302
    page = member_client.get("/me/").content.decode()
    assert "45 days" in page


def test_nobody_else_sees_the_date_or_the_count(member_client, member2_client, member):
    start = timezone.localdate() - timedelta(days=45)
    _start(member_client, start)
    member_client.post("/me/", {"form": "profile", "bio": "Hello"})
    profile = member2_client.get(f"/members/{member.pk}/").content.decode()
    forum_page = member2_client.get(f"/forum/members/{member.pk}/")
    for page in (profile, forum_page.content.decode() if forum_page.status_code == 200 else ""):
        assert "45 day" not in page
        assert start.isoformat() not in page and f"{start:%-d %B %Y}" not in page
    # Not even on their own profile, which shows what others see.
    own = member_client.get(f"/members/{member.pk}/").content.decode()
    assert "45 day" not in own


def test_a_date_in_the_future_is_refused(member_client, member):
    response = _start(member_client, timezone.localdate() + timedelta(days=1))
    assert response.status_code == 400
    assert "Please choose today or a day in the past." in response.content.decode()
    assert User.objects.get(pk=member.pk).milestone_start is None


def test_starting_again_is_private_and_resets_announcements(member_client, member):
    _start(member_client, timezone.localdate() - timedelta(days=100))
    User.objects.filter(pk=member.pk).update(milestone_announced_days=90)
    response = member_client.post("/me/", {"form": "milestone_restart"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.milestone_start == timezone.localdate() and member.milestone_announced_days == 0
    # No trace anywhere public: no topic, no notice.
    from forum.models import Topic
    from notifications.models import Notification

    assert not Topic.objects.exists() and not Notification.objects.exists()


def test_stopping_forgets_the_date(member_client, member):
    _start(member_client, timezone.localdate() - timedelta(days=3))
    member_client.post("/me/", {"form": "milestone_stop"})
    assert User.objects.get(pk=member.pk).milestone_start is None
