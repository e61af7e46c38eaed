"""Accountability and lasting connection: goals and check-ins, buddies, nudges, support requests.

Everything here is private by default. A goal is seen by its owner and by the buddies they chose (while they are
still buddies); a mood entry is seen by its member alone; a declined buddy request looks "pending" to the asker.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

# The Django group of members who volunteer as peer supporters (staff and moderators grant it on /support/supporters/).
PEER_SUPPORTER_GROUP = "peer_supporter"

GOAL_TITLE_MAX = 200
NOTE_MAX = 300
CHECKIN_LINE_MAX = 500


class Goal(models.Model):
    """A personal goal ("call someone every day"). Private unless shared with chosen buddies."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=GOAL_TITLE_MAX)
    # The buddies who may see it; a buddy who is no longer one sees nothing, whatever is stored here.
    shared_with = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="goals_shared_with_me")
    created_at = models.DateTimeField(default=timezone.now)
    # Put aside by the member: kept for them, no longer on the list.
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "archived_at"])]

    def __str__(self) -> str:
        return self.title


class GoalCheckIn(models.Model):
    class Status(models.TextChoices):
        DONE = "done", "Done"
        PARTLY = "partly", "Partly"
        NOT_THIS_TIME = "not_this_time", "Not this time"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    status = models.CharField(max_length=16, choices=Status.choices)
    note = models.CharField(max_length=NOTE_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["goal", "created_at"])]


class Mood(models.IntegerChoices):
    VERY_LOW = 1, "Very low"
    LOW = 2, "Low"
    OKAY = 3, "Okay"
    GOOD = 4, "Good"
    VERY_GOOD = 5, "Very good"


class MoodEntry(models.Model):
    """How a member felt when they checked in: seen by them alone (the 90-day chart on /me/goals/check-in/)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mood_entries")
    mood = models.PositiveSmallIntegerField(choices=Mood.choices)
    # The member's own calendar day (their time zone), which the chart is drawn by.
    day = models.DateField()
    # The reply the check-in line became, if they wrote one.
    post = models.ForeignKey("forum.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["member", "day"])]
        constraints = [models.CheckConstraint(condition=models.Q(mood__gte=1, mood__lte=5), name="mood_one_to_five")]


class DailyCheckIn(models.Model):
    """The one check-in topic of a day in one check-in category (opened by `open_daily_checkin`)."""

    category = models.ForeignKey("forum.Category", on_delete=models.CASCADE, related_name="+")
    # The clinic's calendar day (settings.TIME_ZONE).
    day = models.DateField()
    topic = models.ForeignKey("forum.Topic", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "day"], name="one_checkin_topic_per_day")]


class BuddyRequest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        # Shown to the asker as pending until it expires: declining tells them nothing more.
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"

    from_member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    to_member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_member", "to_member"],
                condition=models.Q(state="pending"),
                name="one_pending_buddy_request",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_member=models.F("to_member")), name="no_buddy_request_to_self"
            ),
        ]
        indexes = [models.Index(fields=["to_member", "state"])]


class Buddyship(models.Model):
    """Two accountability buddies. Stored once per pair, the lower id first; ending it keeps the row."""

    member_a = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    member_b = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member_a", "member_b"], condition=models.Q(ended_at__isnull=True), name="one_active_buddyship"
            ),
            models.CheckConstraint(condition=models.Q(member_a__lt=models.F("member_b")), name="buddies_in_order"),
        ]

    def other(self, user):
        return self.member_b if user.pk == self.member_a_id else self.member_a


class Nudge(models.Model):
    """A "thinking of you" from one buddy to another (rate-limited per pair: connections.services.NUDGE_EVERY)."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["sender", "recipient", "created_at"])]


class SupporterShift(models.Model):
    """A peer supporter on duty from `started_at` until `ended_at` (None: on duty now)."""

    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["supporter"], condition=models.Q(ended_at__isnull=True), name="one_open_shift"
            )
        ]


class SupportRequest(models.Model):
    """ "I need support now": alerts on-duty supporters and moderators; the first to answer gets a conversation."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_requests")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Which side of the age line it was asked from: only that side's supporters are alerted.
    for_teen = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    room = models.ForeignKey("chat.Room", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The member said they are all right now, or the request was left unanswered too long.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Support request #{self.pk}"

    @property
    def wait(self):
        return (self.answered_at - self.created_at) if self.answered_at else None
