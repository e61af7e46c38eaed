"""A member's goals, moods and buddies are in their data export, and gone when they erase their account."""

import pytest

from connections import selectors, services
from connections.models import BuddyRequest, Goal, GoalCheckIn, MoodEntry, Nudge
from members.account_data import export_everything
from members.services import erase_account

from .conftest import make_buddies

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_members_own_goals_and_moods_and_no_buddy_names(member, member2):
    make_buddies(member, member2)
    goal = services.create_goal(owner=member, title="Walk every morning", share_with=[member2])
    services.check_in_on_goal(goal=goal, member=member, status="partly", note="rain")
    services.post_checkin(member=member, topic=None, mood=4)
    data = export_everything(member)["connections"]
    assert data["goals"][0]["goal"] == "Walk every morning"
    assert data["goals"][0]["check_ins"][0]["note"] == "rain"
    assert data["goals"][0]["shared_with_buddies"] == 1
    assert data["moods"][0]["mood"] == 4
    assert data["buddies"] == 1
    assert "Jordan" not in str(data)


def test_erasing_the_account_takes_goals_moods_and_buddies_with_it(member, member2, django_capture_on_commit_callbacks):
    make_buddies(member, member2)
    services.create_goal(owner=member, title="Walk every morning", share_with=[member2])
    shared_to_them = services.create_goal(owner=member2, title="Read", share_with=[member])
    services.send_nudge(sender=member2, recipient=member)
    services.post_checkin(member=member, topic=None, mood=2)
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(member=member, remove_content=True)
    assert not Goal.objects.filter(owner=member).exists()
    assert not GoalCheckIn.objects.filter(goal__owner=member).exists()
    assert not MoodEntry.objects.filter(member=member).exists()
    assert not Nudge.objects.exists() and not BuddyRequest.objects.exists()
    assert not selectors.buddies_of(member2).exists()
    assert not shared_to_them.shared_with.exists()
