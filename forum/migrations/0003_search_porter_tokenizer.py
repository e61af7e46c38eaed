"""SQLite only: rebuild Wagtail's FTS5 search table with the porter tokenizer, so that search stems English words
("routine" finds "routines" and the other way round). PostgreSQL stems through SEARCH_CONFIG = "english"
(community/settings/base.py) and needs nothing here.

The triggers that keep the FTS table in step with wagtailsearch_indexentry name the table, so they keep
working once it is created again under the same name; the rows are copied back from the index entries.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry_fts"


def _rebuild(tokenizer: str):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "sqlite" or TABLE not in connection.introspection.table_names():
            return
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {TABLE}")
            cursor.execute(
                f"CREATE VIRTUAL TABLE {TABLE} USING fts5(autocomplete, body, title, tokenize = '{tokenizer}')"
            )
            cursor.execute(
                f"INSERT INTO {TABLE} (rowid, title, body, autocomplete) "
                "SELECT id, title, body, autocomplete FROM wagtailsearch_indexentry"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0002_post_published_at"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(_rebuild("porter unicode61"), _rebuild("unicode61"))]
