# Private rooms: conversations between two members (connections' private messages), reached only by their
# participants.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0005_delete_chatpreference"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="room",
            name="kind",
            field=models.CharField(
                choices=[("room", "Room"), ("private", "Private conversation")], default="room", max_length=10
            ),
        ),
        migrations.AddField(
            model_name="room",
            name="pair_key",
            field=models.CharField(blank=True, editable=False, max_length=41),
        ),
        migrations.AddField(
            model_name="room",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="room",
            constraint=models.UniqueConstraint(
                condition=models.Q(("closed_at__isnull", True), ("kind", "private")),
                fields=("pair_key",),
                name="one_open_private_room_per_pair",
            ),
        ),
        migrations.CreateModel(
            name="PrivateRoomMember",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("joined_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("left_at", models.DateTimeField(blank=True, null=True)),
                (
                    "room",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="private_members", to="chat.room"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="private_room_memberships",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["user", "room"], name="chat_private_member_lookup")],
                "constraints": [
                    models.UniqueConstraint(fields=("room", "user"), name="one_private_membership_per_room")
                ],
            },
        ),
    ]
