"""The topic list's index: its filter (category, visible) and its order (pinned, latest activity, id), with the
author last so that a member's blocks are applied from the index too (forum.selectors.CategoryTopics). It replaces
the index on (category, state, pinned, last_post_at), which the list could not use (docs/PERFORMANCE.md)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0003_search_porter_tokenizer"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="topic",
            name="forum_topic_categor_858d60_idx",
        ),
        migrations.AddIndex(
            model_name="topic",
            index=models.Index(
                fields=["category", "state", "pinned", "last_post_at", "id", "author"], name="forum_topic_list"
            ),
        ),
    ]
