# The audit log now lives in the `audit` app (audit/migrations/0001 takes the same table into its state).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("moderation", "0003_seed_crisis_list"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
