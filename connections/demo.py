"""Demo connections: Sam R and Jordan are buddies, Sam shares a goal with Jordan and has checked in on it, Sam has a
few weeks of moods on the chart, today's check-in topics are open, and Maya is a peer supporter on duty.

Called by seed_demo after members, forum and chat (DEMO_APPS). Idempotent: what exists is left alone.
"""

from datetime import timedelta

from django.utils import timezone

from members.models import User

from . import selectors, services
from .models import Goal, GoalCheckIn, MoodEntry

SHARED_GOAL = "Go to three meetings this week"
PRIVATE_GOAL = "Call someone every day"
CHECK_INS = [
    # days ago, status, note
    (5, GoalCheckIn.Status.DONE, "Tuesday evening group"),
    (3, GoalCheckIn.Status.PARTLY, "Went, left early"),
    (1, GoalCheckIn.Status.DONE, "Thursday online meeting"),
]
# Sam's moods over the last weeks (days ago, mood): gaps are days without a check-in.
MOODS = [(27, 2), (25, 3), (22, 3), (20, 2), (17, 3), (14, 4), (12, 3), (9, 4), (7, 4), (4, 3), (2, 4), (1, 5)]


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def seed() -> None:
    sam, jordan, maya = _user("member@example.com"), _user("member2@example.com"), _user("member3@example.com")
    staff = _user("staff@example.com")
    if sam is None or jordan is None:
        return
    if not selectors.are_buddies(sam, jordan):
        request = services.ask_buddy(asker=sam, member=jordan)
        if not selectors.are_buddies(sam, jordan):
            services.accept_buddy_request(buddy_request=request, member=jordan)

    now = timezone.now()
    if not Goal.objects.filter(owner=sam, title=SHARED_GOAL).exists():
        goal = services.create_goal(owner=sam, title=SHARED_GOAL, share_with=[jordan])
        for days_ago, status, note in CHECK_INS:
            check_in = services.check_in_on_goal(goal=goal, member=sam, status=status, note=note)
            # The demo stands for a week of history: each check-in on its own day.
            GoalCheckIn.objects.filter(pk=check_in.pk).update(created_at=now - timedelta(days=days_ago))
    if not Goal.objects.filter(owner=jordan, title=PRIVATE_GOAL).exists():
        services.create_goal(owner=jordan, title=PRIVATE_GOAL)

    if not MoodEntry.objects.filter(member=sam).exists():
        # Past days' moods, as if Sam had checked in on them (the service records today's only).
        today = timezone.localdate()
        MoodEntry.objects.bulk_create(
            [MoodEntry(member=sam, mood=mood, day=today - timedelta(days=days_ago)) for days_ago, mood in MOODS]
        )

    services.open_daily_checkins()

    if maya is not None and staff is not None:
        services.grant_peer_supporter(member=maya, actor=staff, reason="Demo: trained peer supporter")
        services.set_on_duty(supporter=maya, on_duty=True)
