"""Recovery milestones announced in Celebrations: only for members who opted in, once each, in their own
audience's category, never for muted or suspended members, and never showing the private start date."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from forum.milestones import ADULT_SLUG, TEEN_SLUG, announce_milestones, milestone_on
from forum.models import Category, Topic
from members.audience import Audience
from members.models import User
from moderation.services import issue_sanction
from tests.factories import UserFactory, teen_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def celebrations(db):
    return Category.objects.create(name="Celebrations", slug=ADULT_SLUG)


@pytest.fixture
def teen_celebrations(db):
    return Category.objects.create(name="Teen celebrations", slug=TEEN_SLUG, audience=Audience.TEENS)


def _counting(user, *, days: int, show: bool = True):
    User.objects.filter(pk=user.pk).update(
        milestone_start=timezone.localdate() - timedelta(days=days), show_milestones=show
    )
    user.refresh_from_db()
    return user


@pytest.mark.parametrize(
    ("start", "today", "words"),
    [
        (date(2026, 1, 1), date(2026, 1, 31), "30 days"),
        (date(2026, 1, 1), date(2026, 3, 2), "60 days"),
        (date(2026, 1, 1), date(2026, 4, 1), "90 days"),
        (date(2026, 1, 1), date(2026, 7, 1), "6 months"),
        (date(2025, 8, 31), date(2026, 2, 28), "6 months"),  # the month is shorter: its last day
        (date(2025, 3, 14), date(2026, 3, 14), "1 year"),
        (date(2023, 3, 14), date(2026, 3, 14), "3 years"),
        (date(2024, 2, 29), date(2025, 2, 28), "1 year"),
        (date(2026, 1, 1), date(2026, 1, 30), None),
        (date(2026, 1, 1), date(2026, 1, 1), None),
        (date(2025, 3, 14), date(2026, 3, 15), None),
    ],
)
def test_which_days_are_milestones(start, today, words):
    milestone = milestone_on(start, today)
    assert (milestone.words if milestone else None) == words


def test_an_opted_in_member_is_celebrated_once_in_warm_neutral_words(member, celebrations):
    _counting(member, days=90)
    announce_milestones()
    announce_milestones()  # a second run the same day posts nothing twice
    topic = Topic.objects.get()
    assert topic.category == celebrations and topic.author == member
    assert topic.title == "Sam is celebrating 90 days today"
    body = topic.posts.get().body
    assert body.startswith("Sam is celebrating 90 days today.")
    assert (timezone.localdate() - timedelta(days=90)).isoformat() not in body
    member.refresh_from_db()
    assert member.milestone_announced_days == 90


def test_nothing_is_announced_without_opting_in_or_off_a_milestone(member, member2, celebrations):
    _counting(member, days=90, show=False)
    _counting(member2, days=91)
    announce_milestones()
    assert not Topic.objects.exists()


def test_teens_are_celebrated_among_teens(celebrations, teen_celebrations):
    teen = _counting(UserFactory(display_name="Robin", year_of_birth=teen_year()), days=30)
    announce_milestones()
    assert Topic.objects.get().category == teen_celebrations
    assert teen.forum_topics.count() == 1


def test_muted_or_suspended_members_are_not_announced(member, member2, moderator, celebrations):
    _counting(member, days=60)
    _counting(member2, days=60)
    issue_sanction(member=member, kind="mute", actor=moderator, reason="Cooling off.", days=2)
    issue_sanction(member=member2, kind="suspension", actor=moderator, reason="A break.", days=2)
    announce_milestones()
    assert not Topic.objects.exists()


def test_a_new_start_date_counts_again_from_there(member_client, member, celebrations):
    _counting(member, days=30)
    announce_milestones()
    member_client.post("/me/", {"form": "milestone", "start": (timezone.localdate() - timedelta(days=30)).isoformat()})
    member.refresh_from_db()
    assert member.milestone_announced_days == 30  # the same date: nothing reset, nothing posted again
    member_client.post("/me/", {"form": "milestone_restart"})
    User.objects.filter(pk=member.pk).update(milestone_start=timezone.localdate() - timedelta(days=30))
    announce_milestones()
    assert Topic.objects.count() == 2


def test_the_command_tells_staff_when_a_category_is_missing(member):
    _counting(member, days=30)
    out, err = io.StringIO(), io.StringIO()
    call_command("announce_milestones", stdout=out, stderr=err)
    assert "celebrations" in err.getvalue() and "Announced 0" in out.getvalue()
    assert not Topic.objects.exists()
    member.refresh_from_db()
    assert member.milestone_announced_days == 0  # announced once the category exists, the same day
