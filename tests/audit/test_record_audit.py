"""The audit log's writer: one typed set of action names, what changed (old and new), and no row for a no-op."""

import pytest

from audit.models import AuditAction, AuditEntry
from audit.services import record_audit
from members import services as member_services
from members.models import Role
from moderation import services as moderation_services
from tests.factories import programme_group


def test_an_unknown_action_is_refused_and_writes_nothing(staff, member):
    with pytest.raises(ValueError, match="Unknown audit action"):
        record_audit(actor=staff, action="set_rol", target=member)
    assert not AuditEntry.objects.exists()


def test_every_known_action_is_accepted_as_enum_or_its_stored_name(staff, member):
    record_audit(actor=staff, action=AuditAction.DEACTIVATE, target=member, reason="asked to leave")
    record_audit(actor=staff, action="chat.mute", target=member)
    assert [e.action for e in AuditEntry.objects.order_by("id")] == ["deactivate", "chat.mute"]
    assert AuditEntry.objects.get(action="deactivate").get_action_display() == "Account turned off"


def test_changes_are_stored_old_and_new_with_the_reason_kept_apart(staff, member):
    entry = record_audit(
        actor=staff,
        action=AuditAction.SET_ROLE,
        target=member,
        reason="runs the Tuesday group",
        changes={"role": ("member", "moderator")},
    )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.changes == {"role": ["member", "moderator"]}
    assert entry.reason == "runs the Tuesday group"
    assert entry.actor_id_kept == staff.pk


def test_empty_or_unchanged_changes_write_no_row(staff, member):
    assert record_audit(actor=staff, action=AuditAction.SET_ROLE, target=member, changes={}) is None
    assert record_audit(actor=staff, action=AuditAction.SET_ROLE, target=member, changes={"role": ("a", "a")}) is None
    assert not AuditEntry.objects.exists()


def test_set_role_records_old_and_new_role_and_a_repeat_writes_nothing(staff, member):
    member_services.set_role(member=member, role=Role.MODERATOR, actor=staff)
    member_services.set_role(member=member, role=Role.MODERATOR, actor=staff)
    entries = list(AuditEntry.objects.filter(action=AuditAction.SET_ROLE))
    assert len(entries) == 1
    assert entries[0].changes == {"role": ["member", "moderator"]}


def test_programme_groups_record_names_before_and_after(staff, member):
    tuesday, thursday = programme_group("relapse-prevention"), programme_group("dual-diagnosis")
    member_services.set_programme_groups(member=member, groups=[tuesday], actor=staff)
    member_services.set_programme_groups(member=member, groups=[tuesday, thursday], actor=staff)
    member_services.set_programme_groups(member=member, groups=[thursday, tuesday], actor=staff)  # same: no row
    rows = [e.changes for e in AuditEntry.objects.filter(action=AuditAction.SET_GROUPS).order_by("id")]
    assert rows == [
        {"programme_groups": [[], ["Relapse Prevention"]]},
        {"programme_groups": [["Relapse Prevention"], ["Dual Diagnosis", "Relapse Prevention"]]},
    ]


def test_staff_settings_form_saved_unchanged_writes_no_rows(staff, member):
    member_services.update_member_settings(member=member, actor=staff, groups=[], role=Role.MEMBER, teen_cleared=False)
    assert not AuditEntry.objects.exists()


def test_teen_clearance_and_year_of_birth_record_what_changed(staff, moderator, member):
    member_services.update_member_settings(
        member=moderator, actor=staff, groups=[], role=Role.MODERATOR, teen_cleared=True
    )
    assert AuditEntry.objects.get(action=AuditAction.TEEN_CLEARANCE).changes == {"teen_cleared": [False, True]}
    old_year = member.year_of_birth
    member_services.set_year_of_birth(member=member, year_of_birth=old_year - 1, actor=staff, reason="typo")
    entry = AuditEntry.objects.get(action=AuditAction.SET_YEAR_OF_BIRTH)
    assert entry.changes == {"year_of_birth": [old_year, old_year - 1]}
    assert entry.reason.endswith("typo")


def test_watched_word_update_records_each_changed_field(staff):
    word = moderation_services.add_watched_word(actor=staff, kind="phrase", pattern="lorem ipsum", action="flag")
    moderation_services.update_watched_word(word=word, actor=staff, action="hold", label="test entry")
    entry = AuditEntry.objects.get(action=AuditAction.CHANGE_WATCHED_WORD)
    assert entry.changes == {"action": ["flag", "hold"], "label": ["", "test entry"]}


def test_category_changes_record_old_and_new_and_an_unchanged_save_writes_nothing(staff):
    from forum import services as forum_services
    from members.audience import Audience
    from tests.forum.factories import make_category

    category = make_category(name="Evenings", slow_mode_seconds=0)
    group = programme_group("relapse-prevention")
    forum_services.update_category(
        category=category, actor=staff, slow_mode_seconds=30, audience=Audience.GROUPS, programme_groups=[group]
    )
    forum_services.update_category(
        category=category, actor=staff, slow_mode_seconds=30, audience=Audience.GROUPS, programme_groups=[group]
    )
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE_CATEGORY)
    assert entry.changes == {
        "slow_mode_seconds": [0, 30],
        "audience": ["adults", "groups"],
        "programme_groups": [[], ["Relapse Prevention"]],
    }
