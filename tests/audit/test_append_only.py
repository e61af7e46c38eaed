"""Append-only in the database itself: no code path (queryset, raw SQL) changes or deletes an audit row.

The same tests run on SQLite and, with DATABASE_URL set, on PostgreSQL. The one change allowed is the one account
erasure makes: the actor's foreign key set to NULL, with the account id kept in actor_id_kept.
"""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from audit.models import AuditAction, AuditEntry
from audit.services import record_audit
from tests.conftest import REQUIRE_SERVICES
from tests.factories import UserFactory


@pytest.fixture
def entry(staff, member):
    return record_audit(
        actor=staff, action=AuditAction.SET_ROLE, target=member, reason="why", changes={"role": ["member", "staff"]}
    )


def _refused(run):
    # Inside a savepoint: on PostgreSQL a failed statement spoils the rest of the transaction otherwise.
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        run()


def test_queryset_update_fails(entry):
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten"))
    assert AuditEntry.objects.get(pk=entry.pk).reason == "why"


def test_queryset_delete_fails(entry):
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).delete())
    _refused(lambda: AuditEntry.objects.all().delete())
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET reason = 'rewritten'",
        "UPDATE audit_auditentry SET action = 'approve'",
        "UPDATE audit_auditentry SET changes = '{}'",
        "UPDATE audit_auditentry SET target_repr = 'someone else'",
        "UPDATE audit_auditentry SET target_id = '0'",
        "UPDATE audit_auditentry SET actor_id_kept = NULL",
        "UPDATE audit_auditentry SET created_at = created_at - INTERVAL '1 day'",
        "UPDATE audit_auditentry SET actor_id = NULL, reason = 'sneaked in with the allowed change'",
        "DELETE FROM audit_auditentry",
    ],
)
def test_raw_sql_cannot_change_or_delete(entry, sql):
    if connection.vendor == "sqlite":
        sql = sql.replace("created_at - INTERVAL '1 day'", "'2000-01-01 00:00:00'")

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql)

    _refused(run)
    kept = AuditEntry.objects.get(pk=entry.pk)
    assert (kept.reason, kept.action, kept.changes, kept.actor_id) == (
        "why",
        "set_role",
        {"role": ["member", "staff"]},
        entry.actor_id,
    )


def test_moving_the_actor_to_another_account_fails(entry, member2):
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(actor=member2))


def test_erasing_the_actor_account_keeps_the_row_with_the_account_id(member):
    actor = UserFactory(display_name="Leaving staff")
    entry = record_audit(actor=actor, action=AuditAction.DEACTIVATE, target=member, reason="left the clinic")
    actor_id = actor.pk
    actor.delete()  # on_delete=SET_NULL: an UPDATE of actor_id only, which the trigger allows
    kept = AuditEntry.objects.get(pk=entry.pk)
    assert kept.actor is None and kept.actor_id_kept == actor_id
    assert kept.actor_label == f"Removed account #{actor_id}"
    assert kept.reason == "left the clinic"


def test_model_save_and_delete_refuse_too(entry):
    from audit.models import AppendOnlyError

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_table_and_the_guard_holds_after_it(staff, member):
    """Transactional tests flush after each test (SQLite: DELETE FROM, PostgreSQL: TRUNCATE). That must work,
    and must not leave the guard switched off."""
    record_audit(actor=staff, action=AuditAction.DEACTIVATE, target=member)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    again = UserFactory()
    entry = record_audit(actor=again, action=AuditAction.DEACTIVATE, target=again)
    with pytest.raises(IntegrityError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(IntegrityError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")


def test_triggers_are_installed(db):
    """A rebuild of the table (SQLite does that for some later migrations) would drop them: catch it here."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditentry'")
            assert {r[0] for r in cursor.fetchall()} == {"audit_auditentry_no_delete", "audit_auditentry_no_update"}
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditentry'::regclass AND NOT tgisinternal"
            )
            assert {r[0] for r in cursor.fetchall()} == {"audit_auditentry_append_only"}


@pytest.mark.services
def test_runs_on_postgresql_with_its_trigger(db):
    """With DATABASE_URL this whole file runs on PostgreSQL; REQUIRE_SERVICES=1 makes a SQLite run fail here."""
    if connection.vendor != "postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but the database is not PostgreSQL")
        pytest.skip("PostgreSQL not configured (DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = 'audit_auditentry_append_only'")
        assert cursor.fetchone()[0] == 1
