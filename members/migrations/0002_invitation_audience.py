from django.db import migrations, models


def audience_for_group_flags(for_teens_flags) -> str:
    """An invitation that carries any teen group was meant for a teen; otherwise (no groups too) an adult."""
    return "teen" if any(for_teens_flags) else "adult"


def infer_audience(apps, schema_editor):
    Invitation = apps.get_model("members", "Invitation")
    for invitation in Invitation.objects.prefetch_related("groups"):
        audience = audience_for_group_flags([g.for_teens for g in invitation.groups.all()])
        if audience != invitation.audience:
            invitation.audience = audience
            invitation.save(update_fields=["audience"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="audience",
            field=models.CharField(
                choices=[("adult", "An adult"), ("teen", "A teen (13 to 17)")], default="adult", max_length=10
            ),
        ),
        migrations.RunPython(infer_audience, migrations.RunPython.noop),
    ]
