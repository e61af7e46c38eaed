# Adds the erasure action, and lets the append-only triggers (0004) take two more changes, both made when an
# account is erased at its owner's request (members.account_data), so that the log keeps the event and forgets the
# name:
# - a row about an account (target_type members.user) may have its target_repr, the name the account had then,
#   replaced by "Removed account #<target_id>";
# - a reason may have a word listed in audit_auditredaction (the erased name, listed only while the erasure's
#   transaction runs) replaced by "[former member]": the new reason must be exactly replace(old, word, that).
# The row keeps its action, actor, target id, changes and time; nothing else may change, as before.

import importlib

from django.db import migrations, models

append_only = importlib.import_module("audit.migrations.0004_append_only_triggers")

MESSAGE = append_only.MESSAGE
USER_TYPE = "(SELECT id FROM django_content_type WHERE app_label = 'members' AND model = 'user')"
REDACTED_REASON = (
    "SELECT 1 FROM audit_auditredaction r "
    "WHERE r.word <> '' AND NEW.reason = replace(OLD.reason, r.word, '[former member]')"
)

SQLITE_CREATE = [
    append_only.SQLITE_CREATE[0],
    f"""
    CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
    WHEN NOT (
        NEW.id IS OLD.id
        AND NEW.actor_id_kept IS OLD.actor_id_kept
        AND NEW.action IS OLD.action
        AND NEW.target_id IS OLD.target_id
        AND (
            NEW.target_repr IS OLD.target_repr
            OR (NEW.target_repr = 'Removed account #' || OLD.target_id AND OLD.target_type_id IN {USER_TYPE})
        )
        AND (NEW.reason IS OLD.reason OR EXISTS ({REDACTED_REASON}))
        AND NEW.changes IS OLD.changes
        AND NEW.created_at IS OLD.created_at
        AND (NEW.actor_id IS OLD.actor_id OR NEW.actor_id IS NULL)
        AND (NEW.target_type_id IS OLD.target_type_id OR NEW.target_type_id IS NULL)
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]

POSTGRES_FUNCTION = f"""
    CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE'
           AND (NEW.actor_id IS NULL OR NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id)
           AND (NEW.target_type_id IS NULL OR NEW.target_type_id IS NOT DISTINCT FROM OLD.target_type_id)
           AND (to_jsonb(NEW) - 'actor_id' - 'target_type_id' - 'target_repr' - 'reason')
               = (to_jsonb(OLD) - 'actor_id' - 'target_type_id' - 'target_repr' - 'reason')
           AND (
               NEW.target_repr IS NOT DISTINCT FROM OLD.target_repr
               OR (NEW.target_repr = 'Removed account #' || OLD.target_id AND OLD.target_type_id IN {USER_TYPE})
           )
           AND (NEW.reason IS NOT DISTINCT FROM OLD.reason OR EXISTS ({REDACTED_REASON}))
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE} (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
    END;
    $$
    """


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)  # None: the "%" in RAISE is not a placeholder


def allow_erasure(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, [*append_only.SQLITE_DROP, *SQLITE_CREATE])
    elif vendor == "postgresql":
        _run(schema_editor, [POSTGRES_FUNCTION])
    else:
        raise NotImplementedError(f"No append-only triggers written for {vendor}.")


def as_before(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, [*append_only.SQLITE_DROP, *append_only.SQLITE_CREATE])
    elif vendor == "postgresql":
        _run(schema_editor, [append_only.POSTGRES_CREATE[0]])


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0006_member_report_and_appeal_actions'),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditRedaction",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=100)),
            ],
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=[('invite', 'Invitation created'), ('resend_invitation', 'Invitation sent again'), ('revoke_invitation', 'Invitation revoked'), ('approve', 'Applicant approved'), ('decline', 'Applicant declined'), ('set_groups', 'Programme groups changed'), ('set_role', 'Role changed'), ('deactivate', 'Account turned off'), ('teen_clearance', 'Teen clearance changed'), ('set_year_of_birth', 'Year of birth corrected'), ('members.erase_account', "Account erased at the member's request"), ('hide_post', 'Post hidden'), ('remove_post', 'Post removed'), ('restore_post', 'Post restored'), ('lock_topic', 'Topic locked'), ('unlock_topic', 'Topic unlocked'), ('pin_topic', 'Topic pinned'), ('unpin_topic', 'Topic unpinned'), ('move_topic', 'Topic moved'), ('create_category', 'Category created'), ('update_category', 'Category changed'), ('chat.remove_message', 'Chat message removed'), ('chat.hide_message', 'Chat message hidden'), ('chat.restore_message', 'Chat message restored'), ('chat.mute', 'Member muted in a room'), ('chat.unmute', 'Mute lifted'), ('chat.create_room', 'Room created'), ('chat.update_room', 'Room changed'), ('chat.reveal_private', 'Private messages shown to a moderator'), ('moderation.add_watched_word', 'Watched word added'), ('moderation.change_watched_word', 'Watched word changed'), ('moderation.deactivate_watched_word', 'Watched word switched off'), ('moderation.reactivate_watched_word', 'Watched word switched on'), ('moderation.remove_watched_word', 'Watched word deleted'), ('moderation.report', 'Reported by a member'), ('moderation.appeal', 'Appeal sent'), ('moderation.claim', 'Review item claimed'), ('moderation.dismiss', 'Review item dismissed'), ('moderation.auto_hide', 'Hidden after several reports'), ('moderation.hold', 'Held for review'), ('moderation.content_warning', 'Content warning added'), ('moderation.warn', 'Member warned'), ('moderation.mute', 'Member muted'), ('moderation.suspend', 'Member suspended'), ('moderation.ban', 'Member banned'), ('moderation.lift_sanction', 'Sanction lifted'), ('moderation.grant_appeal', 'Appeal granted'), ('moderation.decline_appeal', 'Appeal declined'), ('moderation.add_note', 'Note about a member added'), ('connections.grant_supporter', 'Peer supporter role given'), ('connections.revoke_supporter', 'Peer supporter role taken away')], max_length=40),
        ),
        migrations.RunPython(allow_erasure, as_before),
    ]
