from connections import demo as connections_demo
from connections import selectors
from connections.models import DailyCheckIn, Goal, GoalCheckIn, MoodEntry
from forum import demo as forum_demo
from members import demo as members_demo
from members.models import User


def test_the_demo_has_buddies_a_shared_goal_moods_and_a_supporter_on_duty(db):
    members_demo.seed()
    forum_demo.seed()
    connections_demo.seed()
    connections_demo.seed()  # idempotent
    sam, jordan = User.objects.get(email="member@example.com"), User.objects.get(email="member2@example.com")
    assert selectors.are_buddies(sam, jordan)
    shared = Goal.objects.get(owner=sam, title=connections_demo.SHARED_GOAL)
    assert list(shared.shared_with.all()) == [jordan]
    assert GoalCheckIn.objects.filter(goal=shared).count() == len(connections_demo.CHECK_INS)
    assert selectors.goals_shared_with(jordan).filter(pk=shared.pk).exists()
    assert MoodEntry.objects.filter(member=sam).count() == len(connections_demo.MOODS)
    assert DailyCheckIn.objects.count() == 2  # adults' and teens' check-in categories
    maya = User.objects.get(email="member3@example.com")
    assert selectors.is_peer_supporter(maya) and selectors.is_on_duty(maya)
