"""Email preferences, grouped notices (reactions) and the emailed_at mark the digests rely on.

Notices written before emails existed count as emailed: no member chose emails about them, and the first digest
after this change must not tell everyone about months of old activity at once.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def mark_existing_emailed(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.filter(emailed_at__isnull=True).update(emailed_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_targets_from_urls"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="EmailPreference",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "group",
                    models.CharField(
                        choices=[
                            ("mentions", "When someone mentions you"),
                            ("replies", "Replies and new topics where you watch"),
                            ("reactions", "When members send support to your posts"),
                            ("moderation", "Your reports, moderation decisions and appeals"),
                            ("connections", "Buddies, nudges and support requests"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "frequency",
                    models.CharField(
                        choices=[
                            ("immediately", "Right away"),
                            ("daily", "Once a day, in one summary"),
                            ("weekly", "Once a week, in one summary"),
                            ("never", "No emails"),
                        ],
                        max_length=20,
                    ),
                ),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.AddField(
            model_name="notification",
            name="count",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="notification",
            name="counted_ids",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="notification",
            name="emailed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="group_key",
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("emailed_at__isnull", True), ("read_at__isnull", True)),
                fields=["recipient"],
                name="notice_unread_unemailed",
            ),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("read_at__isnull", True), models.Q(("group_key", ""), _negated=True)),
                fields=("recipient", "group_key"),
                name="one_unread_notice_per_group_key",
            ),
        ),
        migrations.AddField(
            model_name="emailpreference",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="email_preferences",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="emailpreference",
            constraint=models.UniqueConstraint(fields=("user", "group"), name="one_email_preference_per_group"),
        ),
        migrations.RunPython(mark_existing_emailed, migrations.RunPython.noop),
    ]
