from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .kinds import Frequency, KindGroup


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # For a grouped notice (reactions), the latest member counted in it; never shown by name.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=30)
    # As written at creation. A notice with a target is shown as its app's resolver words it at read time
    # (notifications.registry); these two are only shown for notices without a target.
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    # What the notice is about, as "<app_label>.<model_name>" and primary key, so that the app that owns it can
    # decide at read time whether this reader may still see it. Not a foreign key: this app imports no other.
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Grouped notices ("3 members sent support"): one unread row per recipient and key, counting members.
    group_key = models.CharField(max_length=120, blank=True)
    count = models.PositiveIntegerField(default=1)
    # The members counted, so that one member's second reaction does not count twice (bounded: GROUP_MEMBERS_KEPT).
    counted_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # When an email told the recipient about it (at once or in a digest): no notice is emailed about twice.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The digest command's scan: unread notices not yet emailed about.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True, emailed_at__isnull=True),
                name="notice_unread_unemailed",
            ),
        ]
        constraints = [
            # Two reactions at the same moment must not make two "sent support" notices.
            models.UniqueConstraint(
                fields=["recipient", "group_key"],
                condition=Q(read_at__isnull=True) & ~Q(group_key=""),
                name="one_unread_notice_per_group_key",
            )
        ]


class EmailPreference(models.Model):
    """How often a member is emailed about one group of notices. A group without a row has its default
    (kinds.DEFAULT_FREQUENCY); a row is written when the member chooses, and stays if the defaults change."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    group = models.CharField(max_length=20, choices=KindGroup.choices)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "group"], name="one_email_preference_per_group")]
