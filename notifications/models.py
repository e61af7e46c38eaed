from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
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
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
