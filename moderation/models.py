from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class ReviewItem(models.Model):
    """One thing awaiting (or past) a moderator's review: a post, message or member, gathering every report and
    screening hit about it. At most one open item per target; a later report after a decision opens a new one.

    `kind` names the adapter (moderation.adapters) that shows and acts on the target; moderation never imports
    the feature app that owns it.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    class Source(models.TextChoices):
        REPORT = "report", "Reported by members"
        SCREENING = "screening", "Watched words"
        CRISIS = "crisis", "Crisis language"
        NEW_MEMBER = "new_member", "A new member's first posts"
        MODERATOR = "moderator", "A moderator acted on the page"

    kind = models.CharField(max_length=20)
    target_id = models.PositiveBigIntegerField()
    target_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="review_items"
    )
    # Where the target lives, decided by its adapter when the item opens: moderators not cleared for teen spaces
    # never see teen items (the queue filters on this column, so it costs no query per item).
    in_teen_space = models.BooleanField(default=False)
    source = models.CharField(max_length=12, choices=Source.choices)
    urgent = models.BooleanField(default=False)
    # The content when the item opened (a report adds its own snapshot on the Flag).
    snapshot = models.TextField(blank=True)
    # For the team: which watched words matched (labels and patterns), never shown to members.
    screening_note = models.TextField(blank=True)
    # Whether the item's target waits hidden or held until a decision (auto-hide, hold): a dismissal restores it.
    hidden_pending_review = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The action taken (a moderation.actions name) and the moderator's reason.
    resolution = models.CharField(max_length=30, blank=True)
    resolution_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-urgent", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_id"], condition=models.Q(status="open"), name="one_open_item_per_target"
            )
        ]
        indexes = [models.Index(fields=["status", "urgent", "created_at"], name="mod_item_queue")]

    def __str__(self) -> str:
        return f"Review item {self.pk} ({self.kind} {self.target_id})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Flag(models.Model):
    """A member's report of a post, message or profile, with the content as it was when reported."""

    class Reason(models.TextChoices):
        CRISIS = "crisis", "Someone may be in crisis"
        HARASSMENT = "harassment", "Harassment or bullying"
        SUBSTANCES = "substances", "Sourcing or promoting substances"
        PRIVACY = "privacy", "Shares someone's private information"
        SPAM = "spam", "Spam or advertising"
        OTHER = "other", "Something else"
        # Retired from the form (older chat clients may still send it); read as "something else is wrong".
        HARMFUL = "harmful", "Harmful or unsafe"

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
    item = models.ForeignKey(ReviewItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="flags")
    # Set when the reporter has been told that a moderator looked at it (once, with no detail of the action).
    reporter_told_at = models.DateTimeField(null=True, blank=True)

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


# What the report form offers, in this order (the retired "harmful" is still accepted from old clients).
REPORT_REASONS = [(value, label) for value, label in Flag.Reason.choices if value != Flag.Reason.HARMFUL]


class Sanction(models.Model):
    """A warning, mute (read-only), suspension (signed out of everything but this notice) or ban.

    The row is the record; `members.User.restriction` mirrors the strongest one in force so that the gate and
    the sockets read it for free. Expiry needs no scheduler: `ends_at` is compared on access.
    """

    class Kind(models.TextChoices):
        WARNING = "warning", "Warning"
        MUTE = "mute", "Muted (read-only)"
        SUSPENSION = "suspension", "Suspended"
        BAN = "ban", "Banned"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.TextField()
    starts_at = models.DateTimeField(default=timezone.now)
    # None: no end (a ban; a warning simply stands on the record).
    ends_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    item = models.ForeignKey(ReviewItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="sanctions")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["member", "kind", "ends_at"], name="mod_sanction_member")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.member}"

    def in_force(self, now=None) -> bool:
        now = now or timezone.now()
        if self.kind == self.Kind.WARNING or self.lifted_at is not None or self.starts_at > now:
            return False
        return self.ends_at is None or self.ends_at > now


class Appeal(models.Model):
    """A member's one request to look again at a sanction or at the removal of their content."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        GRANTED = "granted", "Granted"
        DECLINED = "declined", "Declined"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals")
    sanction = models.OneToOneField(Sanction, null=True, blank=True, on_delete=models.CASCADE, related_name="appeal")
    # A removal or hiding of the member's content is appealed through the review item that decided it.
    item = models.OneToOneField(ReviewItem, null=True, blank=True, on_delete=models.CASCADE, related_name="appeal")
    message = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sanction__isnull=False, item__isnull=True)
                | models.Q(sanction__isnull=True, item__isnull=False),
                name="appeal_is_about_one_thing",
            )
        ]


class MemberNote(models.Model):
    """Moderators' private notes about a member: never shown to the member."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
