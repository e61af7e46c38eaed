from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
        ("moderation", "0004_auditentry_moved_to_audit"),
    ]

    operations = [
        migrations.AlterModelTable(name="auditentry", table=None),
    ]
