from django.db import migrations, models
from django.db.models import F


def existing_posts_were_published(apps, schema_editor):
    """Posts written before this field were published when written, unless they still wait held."""
    Post = apps.get_model("forum", "Post")
    Post.objects.exclude(state="held").update(published_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(existing_posts_were_published, migrations.RunPython.noop),
    ]
