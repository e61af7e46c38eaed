# Append-only in the database itself: an UPDATE or DELETE of an audit row fails whatever code runs it (a queryset
# .update()/.delete(), raw SQL, a shell). One UPDATE is allowed: setting actor_id (or target_type_id) to NULL, which
# is what erasing an account (or a stale content type) does through on_delete=SET_NULL; actor_id_kept still holds
# the account id. Everything else in the row must stay as it was.
#
# Emptying the whole table with the flush command stays possible, on purpose, because the test suite's
# transactional tests flush after each test (and `manage.py flush` wipes every table anyway):
# - PostgreSQL flushes with TRUNCATE, which row-level triggers do not see.
# - SQLite has no TRUNCATE: flush runs DELETE FROM. The DELETE trigger therefore asks a function,
#   audit_flushing(), that audit/db.py registers on every Django SQLite connection and that answers 1 only while
#   Django's execute_sql_flush runs in this thread. Anywhere else (a queryset delete, raw SQL, the sqlite3 shell,
#   where the function does not even exist) the DELETE fails.
# Careful: on SQLite, a later migration that alters this table may rebuild it (copy, DROP, rename), and DROP
# TABLE drops its triggers. tests/audit/test_append_only.py fails if the triggers are gone; such a migration must
# run `create_triggers` again.

from django.db import migrations

MESSAGE = "audit entries are append-only"

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
    WHEN NOT audit_flushing()
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
    WHEN NOT (
        NEW.id IS OLD.id
        AND NEW.actor_id_kept IS OLD.actor_id_kept
        AND NEW.action IS OLD.action
        AND NEW.target_id IS OLD.target_id
        AND NEW.target_repr IS OLD.target_repr
        AND NEW.reason IS OLD.reason
        AND NEW.changes IS OLD.changes
        AND NEW.created_at IS OLD.created_at
        AND (NEW.actor_id IS OLD.actor_id OR NEW.actor_id IS NULL)
        AND (NEW.target_type_id IS OLD.target_type_id OR NEW.target_type_id IS NULL)
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
]

# The row as JSON, less the two nullable foreign keys, must be unchanged: a column added later is covered too.
POSTGRES_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE'
           AND (NEW.actor_id IS NULL OR NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id)
           AND (NEW.target_type_id IS NULL OR NEW.target_type_id IS NOT DISTINCT FROM OLD.target_type_id)
           AND (to_jsonb(NEW) - 'actor_id' - 'target_type_id') = (to_jsonb(OLD) - 'actor_id' - 'target_type_id')
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE} (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_append_only()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_auditentry_append_only()",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)  # None: the "%" in RAISE is not a placeholder


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_CREATE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_CREATE)
    else:
        raise NotImplementedError(f"No append-only triggers written for {vendor}.")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_action_choices_and_changes"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
