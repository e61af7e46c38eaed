"""Sanctions from the member page: warn, mute, suspend, ban, lift; the gate; expiry with no scheduler."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from moderation import services
from moderation.models import MemberNote, Sanction
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _url(member):
    return f"/moderation/members/{member.pk}/"


@pytest.mark.parametrize(
    ("kind", "length", "audit", "told", "read_only", "shut_out"),
    [
        ("warning", {}, AuditAction.WARN, "A moderator has sent you a warning.", False, False),
        ("mute", {"hours": "3"}, AuditAction.MUTE, "You can read but not post until", True, False),
        ("suspension", {"days": "7"}, AuditAction.SUSPEND, "You are suspended until", True, True),
        ("ban", {}, AuditAction.BAN, "You are banned until further notice.", True, True),
    ],
)
def test_each_sanction_applies_audits_and_tells_the_member(
    moderator, moderator_client, member2, kind, length, audit, told, read_only, shut_out
):
    response = moderator_client.post(_url(member2), {"intent": "sanction", "kind": kind, "reason": "Rule 2", **length})
    assert response.status_code == 302
    sanction = Sanction.objects.get()
    assert (sanction.kind, sanction.issued_by, sanction.reason) == (kind, moderator, "Rule 2")
    member2.refresh_from_db()
    assert (member2.is_read_only, member2.is_shut_out) == (read_only, shut_out)
    assert AuditEntry.objects.filter(action=audit, actor=moderator, reason="Rule 2").count() == 1
    notice = Notification.objects.get(recipient=member2)
    assert told in notice.text and "Reason: Rule 2" in notice.text
    page = moderator_client.get(_url(member2)).content.decode()
    assert "Rule 2" in page


def test_a_sanction_without_a_reason_or_length_changes_nothing(moderator_client, member2):
    response = moderator_client.post(_url(member2), {"intent": "sanction", "kind": "mute", "reason": "x"})
    assert response.status_code == 400 and "Choose how long" in response.content.decode()
    response = moderator_client.post(_url(member2), {"intent": "sanction", "kind": "ban", "reason": ""})
    assert response.status_code == 400 and "Please give a reason" in response.content.decode()
    assert not Sanction.objects.exists() and not AuditEntry.objects.exists()


def test_a_moderator_cannot_sanction_another_moderator_but_staff_can(moderator, staff, moderator_client, staff_client):
    response = moderator_client.post(_url(staff), {"intent": "sanction", "kind": "warning", "reason": "x"})
    assert response.status_code == 400 and "Only clinic staff" in response.content.decode()
    response = staff_client.post(_url(moderator), {"intent": "sanction", "kind": "warning", "reason": "Tone"})
    assert response.status_code == 302 and Sanction.objects.filter(member=moderator).count() == 1


def test_lifting_a_sanction(moderator, moderator_client, member2):
    sanction = services.issue_sanction(member=member2, kind="suspension", actor=moderator, reason="Threats", days=3)
    response = moderator_client.post(_url(member2), {"intent": "lift", "sanction": sanction.pk, "reason": ""})
    assert response.status_code == 400 and "Please give a reason" in response.content.decode()
    response = moderator_client.post(_url(member2), {"intent": "lift", "sanction": sanction.pk, "reason": "Talked"})
    assert response.status_code == 302
    member2.refresh_from_db()
    assert not member2.is_shut_out
    assert AuditEntry.objects.filter(action=AuditAction.LIFT_SANCTION, reason="Talked").count() == 1
    assert Notification.objects.filter(recipient=member2, kind="sanction_lifted").count() == 1


def test_notes_from_the_member_page(moderator_client, member2):
    response = moderator_client.post(_url(member2), {"intent": "note", "body": "Asked for a break."})
    assert response.status_code == 302 and MemberNote.objects.get().body == "Asked for a break."
    response = moderator_client.post(_url(member2), {"intent": "note", "body": ""})
    assert response.status_code == 400 and MemberNote.objects.count() == 1


def test_a_suspended_member_is_sent_to_their_standing_from_any_page(moderator, member, member_client):
    services.issue_sanction(member=member, kind="suspension", actor=moderator, reason="Cooling off", days=2)
    for url in ("/", "/forum/", "/chat/", "/me/", "/moderation/"):
        response = member_client.get(url)
        assert response.status_code == 302 and response["Location"] == "/my-standing/", url
    page = member_client.get("/my-standing/").content.decode()
    assert "Suspended: you can only see this page" in page and "Cooling off" in page
    assert "Sign out" in page and "tel:988" in page
    # And may appeal from there.
    sanction = Sanction.objects.get()
    response = member_client.post(f"/my-standing/appeal/sanction/{sanction.pk}/", {"message": "I am sorry."})
    assert response.status_code == 302 and response["Location"] == "/my-standing/"
    assert sanction.appeal.message == "I am sorry."


def test_a_suspension_ends_by_itself_with_no_scheduler(moderator, member, member_client):
    services.issue_sanction(member=member, kind="suspension", actor=moderator, reason="Cooling off", days=2)
    assert member_client.get("/").status_code == 302
    later = timezone.now() + timedelta(days=2, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = member_client.get("/")
        assert response.status_code == 200
        page = member_client.get("/my-standing/").content.decode()
    assert "It has ended." in page and "Suspended: you can only see this page" in page
    assert "In force now" not in page
