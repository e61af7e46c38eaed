from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class Flag(models.Model):
    """A member's report of a post, message or profile, with the content as it was when reported."""

    class Reason(models.TextChoices):
        HARMFUL = "harmful", "Harmful or unsafe"
        HARASSMENT = "harassment", "Harassment or bullying"
        PRIVACY = "privacy", "Shares someone's private information"
        SPAM = "spam", "Spam or advertising"
        CRISIS = "crisis", "Someone may be in crisis"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    target_author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    snapshot = models.TextField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=models.Q(status="open"),
                name="one_open_flag_per_reporter_and_target",
            )
        ]


class WatchedWord(models.Model):
    """A phrase or pattern that staff watch for in everything members write, and what happens on a match.

    Matching rules live in `moderation.screening`; this row only says what to look for and what to do.
    """

    class Kind(models.TextChoices):
        PHRASE = "phrase", "Phrase"
        REGEX = "regex", "Pattern (regular expression)"

    class Action(models.TextChoices):
        BLOCK = "block", "Block: refuse the text and show the reason"
        HOLD = "hold", "Hold: publish only after review"
        FLAG = "flag", "Flag: publish and queue for review"
        CRISIS = "crisis", "Crisis: show help to the writer and alert the team"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PHRASE)
    pattern = models.CharField(max_length=500)
    action = models.CharField(max_length=10, choices=Action.choices)
    # Shown to the writer when a `block` entry refuses their text, so it is written for them.
    note = models.CharField(max_length=300, blank=True)
    # For the team only: why the entry exists (the seeded crisis list names its Columbia-style category).
    label = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "label", "pattern", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} “{self.pattern}” ({self.action})"
