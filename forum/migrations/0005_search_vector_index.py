"""PostgreSQL only: a GIN index on the search vector that forum search matches against.

The search library matches `(title || body) @@ query` on wagtailsearch_indexentry, but its own migrations index
`title` and `body` apart, so every search read all index entries (a sequential scan, 110-160 ms on 22,000 posts).
With this index the candidate query of forum/search.py took 6-7 ms instead of 75-95 ms (docs/PERFORMANCE.md).
SQLite searches through its FTS5 table and needs nothing here.
"""

from django.db import migrations

INDEX = "forum_search_title_body_gin"


def _create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))"
        )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0004_topic_list_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(_create, _drop)]
