"""Times read the same everywhere, in the member's own zone: chat, forum, messages and the time-zone setting."""

import re
import zoneinfo
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from chat import services as chat_services
from chat.models import Message
from forum.models import Post
from members.models import User
from resources.schedule import member_time_zone
from tests.chat.factories import RoomFactory
from tests.forum.factories import make_category, make_topic

pytestmark = pytest.mark.django_db

MOMENT = datetime(2026, 3, 2, 5, 14, tzinfo=UTC)  # 12:14 a.m. in New York, 6:14 a.m. in Berlin


@pytest.fixture
def moment_everywhere(member2):
    """One chat message and one forum post written at the same moment."""
    room = RoomFactory(name="Evening circle", slug="evening-circle")
    message = chat_services.post_message(room=room, author=member2, body="Morning all").message
    topic = make_topic(category=make_category(name="Everyday"), author=member2, title="Mornings", body="Early start")
    Message.objects.filter(pk=message.pk).update(created_at=MOMENT)
    Post.objects.filter(topic=topic).update(created_at=MOMENT)
    return room, topic


def _times(html: str) -> list[str]:
    return re.findall(r"<time[^>]*>([^<]+)</time>", html)


def test_without_a_choice_chat_and_forum_show_the_clinics_time(member_client, moment_everywhere, settings):
    room, topic = moment_everywhere
    assert settings.TIME_ZONE == "America/New_York"
    chat = member_client.get(f"/chat/{room.slug}/").content.decode()
    forum = member_client.get(topic.get_absolute_url()).content.decode()
    assert "Mar 2, 12:14 a.m." in _times(chat)
    assert "Mar 2, 2026, 12:14 a.m." in _times(forum)
    assert "clinic time (America/New York)" in chat


def test_with_a_zone_chat_and_forum_both_show_it(member, member_client, moment_everywhere):
    User.objects.filter(pk=member.pk).update(time_zone="Europe/Berlin")
    room, topic = moment_everywhere
    chat = member_client.get(f"/chat/{room.slug}/").content.decode()
    forum = member_client.get(topic.get_absolute_url()).content.decode()
    assert "Mar 2, 6:14 a.m." in _times(chat)
    assert "Mar 2, 2026, 6:14 a.m." in _times(forum)
    # The script formats live messages in the same zone and the same way (static/js/chat.js).
    assert 'data-time-zone="Europe/Berlin"' in chat and 'data-time-zone-chosen="true"' in chat


def test_a_zone_that_no_longer_exists_falls_back_to_the_clinics(member, member_client, moment_everywhere):
    User.objects.filter(pk=member.pk).update(time_zone="Mars/Olympus_Mons")
    room, _ = moment_everywhere
    assert "Mar 2, 12:14 a.m." in _times(member_client.get(f"/chat/{room.slug}/").content.decode())


def test_the_zone_does_not_leak_into_the_next_request(member, member_client, client, moment_everywhere):
    User.objects.filter(pk=member.pk).update(time_zone="Asia/Tokyo")
    member_client.get("/chat/")
    assert timezone.get_current_timezone_name() == "America/New_York"


def test_choosing_a_zone_on_the_settings_page(member, member_client):
    page = member_client.get("/chat/time-zone/").content.decode()
    assert '<label for="id_time_zone">Show times in</label>' in page
    assert '<option value="Europe/Berlin">' in page and 'value="" selected' in page
    response = member_client.post("/chat/time-zone/", {"time_zone": "Europe/Berlin", "next": "/forum/"})
    assert response.status_code == 302 and response["Location"] == "/forum/"
    member.refresh_from_db()
    assert member.time_zone == "Europe/Berlin"
    member_client.post("/chat/time-zone/", {"time_zone": ""})
    member.refresh_from_db()
    assert member.time_zone == ""


def test_an_unknown_zone_is_refused_and_nothing_changes(member, member_client):
    response = member_client.post("/chat/time-zone/", {"time_zone": "Nowhere/Atlantis"})
    assert response.status_code == 400 and "Please choose a time zone from the list." in response.content.decode()
    member.refresh_from_db()
    assert member.time_zone == ""


def test_a_next_address_elsewhere_is_ignored(member_client):
    response = member_client.post("/chat/time-zone/", {"time_zone": "Europe/Paris", "next": "https://evil.example/"})
    assert response["Location"] == "/chat/time-zone/"


def test_the_browsers_zone_is_kept_only_while_the_member_chose_none(member, member_client):
    assert member_client.post("/chat/time-zone/", {"time_zone": "Europe/Lisbon", "automatic": "1"}).status_code == 204
    member.refresh_from_db()
    assert member.time_zone == "Europe/Lisbon"
    member_client.post("/chat/time-zone/", {"time_zone": "Asia/Tokyo", "automatic": "1"})
    member.refresh_from_db()
    assert member.time_zone == "Europe/Lisbon"  # a zone already set is never replaced by the browser's


def test_the_setting_needs_a_member(client):
    response = client.post("/chat/time-zone/", {"time_zone": "Europe/Berlin", "automatic": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_meeting_schedules_use_the_members_zone(member):
    assert member_time_zone(member) == zoneinfo.ZoneInfo("America/New_York")
    member.time_zone = "Europe/Berlin"
    assert member_time_zone(member) == zoneinfo.ZoneInfo("Europe/Berlin")


def test_closed_rooms_and_mutes_never_end_in_a_double_full_stop(member, member_client, moderator):
    room = RoomFactory(name="Evening circle", slug="evening-circle", slow_mode_seconds=30)
    chat_services.mute_member(room=room, member=member, actor=moderator, minutes=30, reason="cool down")
    page = member_client.get(f"/chat/{room.slug}/").content.decode()
    assert "until " in page and not re.search(r"[ap]\.m\.\.", page)
    refused = member_client.post(f"/chat/{room.slug}/post/", {"body": "hi"}, follow=True).content.decode()
    assert "not write in it until" in refused and not re.search(r"[ap]\.m\.\.", refused)


def test_slow_mode_is_shown_before_the_first_message(member_client):
    room = RoomFactory(name="Quiet room", slug="quiet-room", slow_mode_seconds=20)
    page = member_client.get(f"/chat/{room.slug}/").content.decode()
    assert "Slow mode: one message every 20 seconds" in page
    plain = RoomFactory(name="Busy room", slug="busy-room", slow_mode_seconds=0)
    assert "Slow mode" not in member_client.get(f"/chat/{plain.slug}/").content.decode()
