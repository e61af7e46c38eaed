from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from members.audience import AudienceMixin

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class Room(AudienceMixin):
    """A chat room. `last_seq` is the room's message counter, bumped under a row lock for each new message.

    A private room (`kind` PRIVATE) is a conversation between two members, opened through
    chat.services.open_private_room (the connections app's private messages): it is never listed or searched,
    only its participants (PrivateRoomMember) may open it, not even moderators, and its slug is unguessable.
    Closed (`closed_at`), it can still be read by its participants but takes no new messages.
    """

    class Kind(models.TextChoices):
        ROOM = "room", "Room"
        PRIVATE = "private", "Private conversation"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ROOM)
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(max_length=300, blank=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    slow_mode_seconds = models.PositiveIntegerField(
        default=0, help_text="Each member waits this long between messages (0: no slow mode). Moderators are exempt."
    )
    retention_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Messages older than this are deleted by the nightly purge. Empty: kept."
    )
    # An optional weekly schedule in the clinic's local time (settings.TIME_ZONE). Outside it the room is
    # read-only. No weekdays means always open.
    schedule_weekdays = models.CharField(max_length=20, blank=True, help_text="Comma-separated weekday numbers.")
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Private rooms only: the two participants' ids, "smaller-larger". Unique among open private rooms, so that
    # opening a conversation twice (a double click, two tabs) finds the same room.
    pair_key = models.CharField(max_length=41, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair_key"],
                condition=models.Q(kind="private", closed_at__isnull=True),
                name="one_open_private_room_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_private(self) -> bool:
        return self.kind == self.Kind.PRIVATE

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def get_absolute_url(self) -> str:
        return reverse("chat:room", args=[self.slug])

    @property
    def group_name(self) -> str:
        return f"chat.room.{self.pk}"

    @property
    def weekdays(self) -> list[int]:
        return [int(d) for d in self.schedule_weekdays.split(",") if d.strip().isdigit()]

    @property
    def is_scheduled(self) -> bool:
        return bool(self.weekdays and self.opens_at and self.closes_at)

    # Opening hours are the clinic's (settings.TIME_ZONE), whatever zone the member reading them is in.
    def is_open_at(self, moment: datetime) -> bool:
        if not self.is_scheduled:
            return True
        local = timezone.localtime(moment, timezone.get_default_timezone())
        return local.weekday() in self.weekdays and self.opens_at <= local.time() < self.closes_at

    def next_opening(self, moment: datetime) -> datetime | None:
        """When the room next opens after `moment` (the clinic's hours), or None if it is unscheduled."""
        if not self.is_scheduled:
            return None
        local = timezone.localtime(moment, timezone.get_default_timezone())
        for days_ahead in range(0, 8):
            day = local.date() + timedelta(days=days_ahead)
            if day.weekday() not in self.weekdays:
                continue
            start = timezone.make_aware(datetime.combine(day, self.opens_at), local.tzinfo)
            if start > moment:
                return start
        return None

    def schedule_text(self) -> str:
        if not self.is_scheduled:
            return ""
        names = dict(WEEKDAYS)
        days = ", ".join(names[d] + "s" for d in self.weekdays)
        text = f"Open {days}, {_clock(self.opens_at)}–{_clock(self.closes_at)}"
        clinic_zone = timezone.get_default_timezone()
        if timezone.get_current_timezone().key != clinic_zone.key:
            text += f" ({clinic_zone.key.replace('_', ' ')} time)"
        return text


def _clock(value: time) -> str:
    return value.strftime("%-I:%M %p").lower().replace(":00 ", " ")


class Message(models.Model):
    class State(models.TextChoices):
        VISIBLE = "visible", "Visible"
        # Screening held it for review: only its author (and moderators, in the queue) see it.
        HELD = "held", "Awaiting review"
        # Hidden by a moderator or by reports, until reviewed: read paths treat it as removed.
        HIDDEN = "hidden", "Hidden"
        REMOVED = "removed", "Removed"

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages")
    body = models.TextField(max_length=4000)
    html = models.TextField()
    client_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.VISIBLE)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Last edit or removal: a reconnecting client asks for changes since it last heard from the server.
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["room", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="one_seq_per_room"),
            # A page resends a message it saw no answer for, under the same client_id: stored once, whatever
            # the timing (two processes, a reconnect mid-send). Messages posted without one (the no-script form,
            # services) are not constrained.
            models.UniqueConstraint(
                fields=["room", "author", "client_id"],
                condition=~models.Q(client_id=""),
                name="one_message_per_client_id",
            ),
        ]
        indexes = [
            models.Index(fields=["room", "changed_at"], name="chat_msg_room_changed"),
            models.Index(fields=["created_at"], name="chat_msg_created"),
        ]

    def __str__(self) -> str:
        return f"{self.room.name} #{self.seq}" if self.room_id else f"message #{self.seq}"

    @property
    def is_visible(self) -> bool:
        return self.state == self.State.VISIBLE

    @property
    def is_held(self) -> bool:
        return self.state == self.State.HELD


class ReadMarker(models.Model):
    """How far a member has read in a room; unread counts on /chat/ come from it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="read_markers")
    last_read_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "room"], name="one_read_marker_per_room")]


class PrivateRoomMember(models.Model):
    """A participant of a private room. `left_at` is for a participant who leaves a conversation (the room stays
    for the other); until then they may read it, and write while it is open."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="private_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="private_room_memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="one_private_membership_per_room")]
        indexes = [models.Index(fields=["user", "room"], name="chat_private_member_lookup")]


class RoomMute(models.Model):
    """A member who may read a room but not write in it until `until`."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="mutes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_mutes")
    until = models.DateTimeField()
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["room", "member", "until"], name="chat_mute_lookup")]

    def __str__(self) -> str:
        return f"{self.member} muted in {self.room} until {self.until:%Y-%m-%d %H:%M}"
