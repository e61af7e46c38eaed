"""The intake every writing place calls: what screening decides for a writer, and the item it opens."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail

from audit.models import AuditAction, AuditEntry
from members.models import Restriction, Role
from moderation import services
from moderation.models import ReviewItem, Sanction
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def watch(staff):
    def add(pattern, action):
        return services.add_watched_word(actor=staff, kind="phrase", pattern=pattern, action=action, note="Not here.")

    return add


def test_ordinary_words_pass_untouched(member):
    decision = services.screen_writing(author=member, text="Killing it at work this week, feeling good.")
    assert decision is services.CLEAR
    assert not decision.hold and not decision.crisis and not decision.queue


def test_a_block_entry_refuses_the_text_with_its_reason(member, watch):
    watch("buy pills here", "block")
    with pytest.raises(services.TextBlocked, match="Not here."):
        services.screen_writing(author=member, text="Anyone want to BUY   pills, here?")


def test_hold_and_flag_entries(member, watch):
    watch("meet offline", "hold")
    watch("my dealer", "flag")
    held = services.screen_writing(author=member, text="Shall we meet offline?")
    assert held.hold and held.queue and held.source == ReviewItem.Source.SCREENING
    flagged = services.screen_writing(author=member, text="I saw my dealer today and walked away.")
    assert flagged.queue and not flagged.hold


def test_crisis_language_is_published_by_default_and_held_when_the_setting_says_so(member, settings):
    decision = services.screen_writing(author=member, text="I want to kill myself tonight")
    assert decision.crisis and not decision.hold and decision.source == ReviewItem.Source.CRISIS
    settings.MODERATION_HOLD_CRISIS = True
    assert services.screen_writing(author=member, text="I want to kill myself tonight").hold


def test_a_new_members_first_posts_are_held_but_never_a_moderators(member, moderator, settings):
    settings.MODERATION_NEW_MEMBER_HOLD_POSTS = 2
    decision = services.screen_writing(author=member, text="Hello everyone", first_posts=True)
    assert decision.hold and decision.new_member and decision.source == ReviewItem.Source.NEW_MEMBER
    assert not services.screen_writing(author=moderator, text="Hello everyone", first_posts=True).hold
    settings.MODERATION_NEW_MEMBER_HOLD_POSTS = 0
    assert not services.screen_writing(author=member, text="Hello everyone", first_posts=True).hold


def test_a_crisis_item_is_urgent_and_emails_on_call_staff_discreetly(
    member, settings, django_capture_on_commit_callbacks
):
    settings.COMMUNITY_ONCALL_EMAILS = ["oncall@clinic.example"]
    decision = services.screen_writing(author=member, text="I have the pills ready and I want to die")
    with django_capture_on_commit_callbacks(execute=True):
        item = services.after_publish(kind="member", target=member, decision=decision)
    assert item.urgent and item.is_open and item.source == ReviewItem.Source.CRISIS
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.bcc == ["oncall@clinic.example"] and not email.to
    text = email.subject + email.body
    assert f"/moderation/items/{item.pk}/" in text
    # No text, no names: the email could be read over someone's shoulder.
    for secret in ("pills", "die", member.display_name, member.email):
        assert secret not in text


def test_a_second_hit_on_the_same_target_joins_its_open_item(member):
    first = services.after_publish(
        kind="member", target=member, decision=services.screen_writing(author=member, text="I want to die")
    )
    second = services.after_publish(
        kind="member", target=member, decision=services.screen_writing(author=member, text="I want to end it all")
    )
    assert first.pk == second.pk and ReviewItem.objects.count() == 1


def test_names_are_refused_by_block_hold_and_flag_entries(watch):
    watch("dealer", "block")
    watch("pharmacy", "flag")
    assert services.screen_name("Friendly Dealer") == "Not here."
    assert "different name" in services.screen_name("Pharmacy Pal")
    assert services.screen_name("Morning Walker") is None


def test_a_sanction_is_mirrored_on_the_account_and_ends_by_itself(member, moderator):
    sanction = services.issue_sanction(
        member=member, kind=Sanction.Kind.MUTE, actor=moderator, reason="Cool off", hours=2
    )
    member.refresh_from_db()
    assert member.restriction == Restriction.MUTE and member.is_read_only and not member.is_shut_out
    assert AuditEntry.objects.filter(action=AuditAction.MUTE, target_id=str(member.pk), reason="Cool off").exists()
    # A stronger sanction wins while both are in force; lifting it falls back to the mute.
    ban = services.issue_sanction(member=member, kind=Sanction.Kind.BAN, actor=moderator, reason="Threats")
    member.refresh_from_db()
    assert member.restriction == Restriction.BAN and member.restricted_until is None and member.is_shut_out
    services.lift_sanction(sanction=ban, actor=moderator, reason="Appeal heard")
    member.refresh_from_db()
    assert member.restriction == Restriction.MUTE and member.restricted_until == sanction.ends_at
    # Past its end, the mute no longer holds, though nothing ran to clear it.
    with mock.patch("django.utils.timezone.now", return_value=sanction.ends_at + timedelta(seconds=1)):
        assert member.restriction == Restriction.MUTE and not member.is_read_only


def test_a_mute_that_outlasts_a_suspension_holds_when_the_suspension_ends(member, moderator):
    mute = services.issue_sanction(member=member, kind=Sanction.Kind.MUTE, actor=moderator, reason="Cool off", days=3)
    suspension = services.issue_sanction(
        member=member, kind=Sanction.Kind.SUSPENSION, actor=moderator, reason="Threats", hours=2
    )
    member.refresh_from_db()
    assert member.is_shut_out and member.restricted_until == suspension.ends_at
    with mock.patch("django.utils.timezone.now", return_value=suspension.ends_at + timedelta(minutes=1)):
        assert not member.is_shut_out and member.is_read_only
    with mock.patch("django.utils.timezone.now", return_value=mute.ends_at + timedelta(minutes=1)):
        assert not member.is_shut_out and not member.is_read_only


def test_sanctions_need_a_reason_and_a_length_and_never_reach_oneself(member, moderator):
    with pytest.raises(services.ItemError, match="reason"):
        services.issue_sanction(member=member, kind=Sanction.Kind.MUTE, actor=moderator, reason="  ", hours=1)
    with pytest.raises(services.SanctionError, match="how long"):
        services.issue_sanction(member=member, kind=Sanction.Kind.SUSPENSION, actor=moderator, reason="x")
    with pytest.raises(services.SanctionError, match="yourself"):
        services.issue_sanction(member=moderator, kind=Sanction.Kind.WARNING, actor=moderator, reason="x")
    other_moderator = UserFactory(roles=[Role.MEMBER, Role.MODERATOR])
    with pytest.raises(services.SanctionError, match="staff"):
        services.issue_sanction(member=other_moderator, kind=Sanction.Kind.WARNING, actor=moderator, reason="x")
    assert not Sanction.objects.exists()


def test_a_cry_for_help_is_never_simply_refused(member, watch):
    """Text that matches a block entry and crisis language is held for a moderator, not thrown away."""
    watch("pills", "block")
    decision = services.screen_writing(author=member, text="I'm going to take all my pills tonight")
    assert decision.crisis and decision.hold and decision.source == ReviewItem.Source.CRISIS


def test_the_team_sees_the_restriction_in_force_now_not_the_ended_one(member, moderator, staff_client):
    mute = services.issue_sanction(member=member, kind=Sanction.Kind.MUTE, actor=moderator, reason="Cool off", days=3)
    suspension = services.issue_sanction(
        member=member, kind=Sanction.Kind.SUSPENSION, actor=moderator, reason="Threats", hours=2
    )
    assert (
        "currently <strong>suspended</strong>" in staff_client.get(f"/moderation/members/{member.pk}/").content.decode()
    )
    with mock.patch("django.utils.timezone.now", return_value=suspension.ends_at + timedelta(minutes=1)):
        page = staff_client.get(f"/moderation/members/{member.pk}/").content.decode()
    assert "currently <strong>read-only</strong>" in page
    assert mute.ends_at.strftime("%Y") in page and "suspended</strong>" not in page
