"""The daily check-in: one topic a day per check-in category, a private mood, a line posted through the forum."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from connections import services
from connections.models import DailyCheckIn, MoodEntry
from forum.models import Post, Topic
from moderation.models import ReviewItem, WatchedWord
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_command_opens_one_topic_a_day_in_each_check_in_category(checkin_categories, staff):
    adults, teens = checkin_categories
    call_command("open_daily_checkin")
    call_command("open_daily_checkin")  # a rerun (or a second process) opens nothing more
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    assert DailyCheckIn.objects.filter(day=today).count() == 2
    topic = Topic.objects.get(category=adults)
    assert topic.title == f"Check-in: {today:%A} {today.day} {today:%B}"
    assert topic.author == staff
    assert Topic.objects.filter(category=teens).count() == 1


def test_titles_read_like_a_calendar_day():
    assert services.checkin_title(date(2026, 11, 24)) == "Check-in: Tuesday 24 November"


def test_the_author_is_the_configured_account_or_else_the_first_staff_member(settings, staff, moderator):
    assert services.checkin_author() == staff
    settings.COMMUNITY_CHECKIN_AUTHOR_EMAIL = moderator.email
    assert services.checkin_author() == moderator
    settings.COMMUNITY_CHECKIN_AUTHOR_EMAIL = "nobody@example.com"
    assert services.checkin_author() == staff


def test_without_a_staff_account_nothing_is_opened(checkin_categories, capsys):
    call_command("open_daily_checkin")
    assert not DailyCheckIn.objects.exists()
    assert "No check-in topic was opened" in capsys.readouterr().out


def test_a_check_in_posts_the_line_and_keeps_the_mood_private(checkin_categories, staff, member, member_client):
    response = member_client.post("/me/goals/check-in/", {"mood": "4", "line": "Slept well, walked the dog."})
    assert response.status_code == 302
    entry = MoodEntry.objects.get(member=member)
    assert entry.mood == 4 and entry.day == timezone.localdate()
    post = Post.objects.get(author=member)
    assert entry.post == post
    assert post.topic.title.startswith("Check-in: ")
    # The number stays with the member unless they choose to include it.
    assert post.body == "Slept well, walked the dog."
    assert "4" not in post.body and "good" not in post.body.lower()


def test_a_member_may_include_their_mood_in_the_post(checkin_categories, staff, member, member_client):
    member_client.post("/me/goals/check-in/", {"mood": "2", "line": "Rough night.", "include_mood": "on"})
    assert Post.objects.get(author=member).body == "Rough night.\n\nFeeling: low (2 of 5)"


def test_a_mood_alone_is_noted_privately_without_a_post(checkin_categories, staff, member, member_client):
    response = member_client.post("/me/goals/check-in/", {"mood": "3"}, follow=True)
    assert "Your mood is noted, for you only." in response.text
    assert MoodEntry.objects.filter(member=member, mood=3).exists()
    assert not Post.objects.filter(author=member).exists()


@pytest.mark.parametrize("mood", ["0", "6", "-1", "three", ""])
def test_a_mood_out_of_range_is_refused_and_nothing_is_written(checkin_categories, staff, member_client, mood):
    response = member_client.post("/me/goals/check-in/", {"mood": mood, "line": "Hello"})
    assert response.status_code == 400
    assert "Please choose how you feel, from 1 (very low) to 5 (very good)." in response.text
    assert not MoodEntry.objects.exists()
    assert not Post.objects.exists()
    assert not DailyCheckIn.objects.exists()


def test_the_service_refuses_a_bad_mood_too(member):
    with pytest.raises(services.ConnectionsError):
        services.post_checkin(member=member, topic=None, mood=9)
    assert not MoodEntry.objects.exists()


def test_a_line_screening_refuses_stores_no_mood_either(checkin_categories, staff, member, member_client):
    WatchedWord.objects.create(pattern="badword", action=WatchedWord.Action.BLOCK, note="Please keep it kind.")
    response = member_client.post("/me/goals/check-in/", {"mood": "3", "line": "what a badword day"})
    assert response.status_code == 400
    assert "Please keep it kind." in response.text
    assert not MoodEntry.objects.exists()
    assert not Post.objects.filter(author=member).exists()


def test_crisis_language_meets_the_writer_with_help_and_alerts_moderators(
    checkin_categories, staff, member, member_client
):
    response = member_client.post("/me/goals/check-in/", {"mood": "1", "line": "I want to kill myself"}, follow=True)
    assert "We&#x27;re glad you wrote this down" in response.text or "We're glad you wrote this down" in response.text
    assert "988" in response.text
    assert ReviewItem.objects.filter(urgent=True).exists()
    assert MoodEntry.objects.filter(member=member, mood=1).exists()


def test_teens_check_in_in_the_teen_category(checkin_categories, staff, teen_member, client_for):
    _adults, teens = checkin_categories
    client_for(teen_member).post("/me/goals/check-in/", {"mood": "5", "line": "Good day at school"})
    assert Post.objects.get(author=teen_member).topic.category == teens


def test_the_mood_chart_is_drawn_on_the_server_for_its_member_only(member, member2, member_client, client_for):
    today = timezone.localdate()
    for days_ago, mood in ((40, 2), (3, 3), (1, 4), (0, 5)):
        MoodEntry.objects.create(member=member, mood=mood, day=today - timedelta(days=days_ago))
    MoodEntry.objects.create(member=member, mood=1, day=today - timedelta(days=120))  # older than 90 days
    page = member_client.get("/me/goals/check-in/").text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count("<circle") == 4
    assert "You checked in on 4 days of the last 90. Your average mood was 3.5" in page
    assert "<table>" in page and "Very good" in page
    assert "<script" not in page.split("<svg")[1].split("</svg>")[0]
    other = client_for(member2).get("/me/goals/check-in/").text
    assert "No check-ins in the last 90 days yet" in other
    assert other.count("<circle") == 0


def test_the_check_in_page_has_no_chart_library_and_links_today(checkin_categories, staff, member_client):
    services.open_daily_checkins()
    page = member_client.get("/me/goals/check-in/").text
    assert "Today's topic:" in page
    assert "chart.js" not in page.lower() and "d3" not in page.lower()


def test_a_read_only_member_may_note_a_mood_but_not_post(checkin_categories, staff, member, member_client):
    from moderation.services import issue_sanction

    issue_sanction(member=member, actor=staff, kind="mute", reason="cool down", days=1)
    response = member_client.post("/me/goals/check-in/", {"mood": "3", "line": "hello"})
    assert response.status_code == 403
    assert not MoodEntry.objects.exists()
    assert member_client.post("/me/goals/check-in/", {"mood": "3"}).status_code == 302
    assert MoodEntry.objects.count() == 1


def test_two_openings_at_once_make_one_topic(checkin_categories, staff):
    adults, _ = checkin_categories
    first = services.open_daily_checkin(category=adults)
    second = services.open_daily_checkin(category=adults)
    assert first.pk == second.pk
    assert Topic.objects.filter(category=adults).count() == 1
    UserFactory()  # unrelated members change nothing
    assert services.open_daily_checkin(category=adults).topic == first.topic


def test_the_task_opens_the_days_topics(checkin_categories, staff):
    from connections.tasks import open_daily_checkins

    assert open_daily_checkins.call() == 2
    assert open_daily_checkins.call() == 2
    assert Topic.objects.count() == 2
