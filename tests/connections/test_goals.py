"""Goals and check-ins on them: private unless shared with chosen buddies, progress counted kindly."""

import pytest

from connections import services
from connections.models import Goal, GoalCheckIn
from members.services import block_member
from tests.factories import UserFactory

from .conftest import make_buddies

pytestmark = pytest.mark.django_db


def test_a_member_sets_a_private_goal_and_checks_in(member_client, member):
    response = member_client.post("/me/goals/", {"title": "  Go to three meetings this week "}, follow=True)
    assert "Your goal is set. It is private." in response.text
    goal = Goal.objects.get(owner=member)
    assert goal.title == "Go to three meetings this week"
    assert not goal.shared_with.exists()

    response = member_client.post(
        f"/me/goals/{goal.pk}/check-in/", {"status": "done", "note": "Tuesday's"}, follow=True
    )
    assert "Checked in: done." in response.text
    member_client.post(f"/me/goals/{goal.pk}/check-in/", {"status": "not_this_time"})
    member_client.post(f"/me/goals/{goal.pk}/check-in/", {"status": "partly"})
    page = member_client.get("/me/goals/").text
    card = page[page.index(f'id="goal-{goal.pk}"') : page.index('id="new-goal-heading"')]
    assert "3 check-ins this month (1 done, 1 partly)." in card
    # Kind words only: no streak, no failure count.
    assert "streak" not in card.lower() and "not this time" not in card.split("How did it go?")[0].lower()


def test_an_empty_goal_is_refused_with_a_clear_reason_and_nothing_is_stored(member_client, member):
    response = member_client.post("/me/goals/", {"title": "   "})
    assert response.status_code == 400
    assert "Please write your goal in a few words" in response.text
    response = member_client.post("/me/goals/", {"title": "x" * 201})
    assert response.status_code == 400
    assert not Goal.objects.exists()


def test_a_check_in_needs_a_status_and_a_bad_one_stores_nothing(member_client, member):
    goal = services.create_goal(owner=member, title="Call someone every day")
    response = member_client.post(f"/me/goals/{goal.pk}/check-in/", {"status": "nearly"}, follow=True)
    assert "Please choose how it went" in response.text or "Select a valid choice" in response.text
    response = member_client.post(f"/me/goals/{goal.pk}/check-in/", {"note": "x" * 301}, follow=True)
    assert "Please choose how it went" in response.text
    assert not GoalCheckIn.objects.exists()


def test_a_goal_is_private_to_its_owner(member, member2, client_for):
    goal = services.create_goal(owner=member, title="Sleep by eleven")
    services.check_in_on_goal(goal=goal, member=member, status="done", note="slept well")
    outsider = client_for(member2)
    assert outsider.get(f"/me/goals/{goal.pk}/").status_code == 404
    assert outsider.post(f"/me/goals/{goal.pk}/check-in/", {"status": "done"}).status_code == 404
    assert outsider.post(f"/me/goals/{goal.pk}/put-aside/").status_code == 404
    assert "Sleep by eleven" not in outsider.get("/me/goals/").text
    assert GoalCheckIn.objects.count() == 1


def test_a_buddy_sees_only_the_goals_shared_with_them(member, member2, client_for):
    make_buddies(member, member2)
    third = UserFactory(display_name="Taylor")
    make_buddies(member, third)
    shared = services.create_goal(owner=member, title="Walk every morning", share_with=[member2])
    services.create_goal(owner=member, title="Private one")
    services.check_in_on_goal(goal=shared, member=member, status="partly", note="Two of three")

    page = client_for(member2).get("/me/goals/").text
    assert "Walk every morning" in page and "Two of three" in page
    assert "Private one" not in page
    buddy_page = client_for(member2).get(f"/connections/buddies/{member.pk}/").text
    assert "Walk every morning" in buddy_page and "Private one" not in buddy_page
    # The other buddy was not chosen for it.
    assert "Walk every morning" not in client_for(third).get("/me/goals/").text


def test_a_shared_goal_disappears_when_the_buddyship_ends_or_a_block_comes_between(member, member2, client_for):
    make_buddies(member, member2)
    services.create_goal(owner=member, title="Walk every morning", share_with=[member2])
    services.end_buddyship(member=member2, other=member)
    assert "Walk every morning" not in client_for(member2).get("/me/goals/").text
    assert client_for(member2).get(f"/connections/buddies/{member.pk}/").status_code == 404

    make_buddies(member, member2)
    assert "Walk every morning" in client_for(member2).get("/me/goals/").text
    block_member(blocker=member, blocked=member2)
    assert "Walk every morning" not in client_for(member2).get("/me/goals/").text


def test_a_goal_cannot_be_shared_with_someone_who_is_not_a_buddy(member, member2, member_client):
    with pytest.raises(services.ConnectionsError):
        services.create_goal(owner=member, title="Walk", share_with=[member2])
    # The form only offers buddies: a forged choice is refused and nothing is stored.
    make_buddies(member, UserFactory(display_name="Taylor"))
    response = member_client.post("/me/goals/", {"title": "Walk", "share_with": [member2.pk]})
    assert response.status_code == 400
    assert not Goal.objects.exists()


def test_sharing_can_be_changed_and_a_goal_put_aside(member, member2, member_client, client_for):
    make_buddies(member, member2)
    goal = services.create_goal(owner=member, title="Walk")
    response = member_client.post(f"/me/goals/{goal.pk}/", {"title": "Walk daily", "share_with": [member2.pk]})
    assert response.status_code == 302
    assert "Walk daily" in client_for(member2).get("/me/goals/").text
    assert "is put aside" in member_client.post(f"/me/goals/{goal.pk}/put-aside/", follow=True).text
    assert "Walk daily" not in client_for(member2).get("/me/goals/").text
    assert "Walk daily" not in member_client.get("/me/goals/").text
    response = member_client.post(f"/me/goals/{goal.pk}/check-in/", {"status": "done"}, follow=True)
    assert "put aside" in response.text
    assert not GoalCheckIn.objects.exists()
