from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEntry
from members.models import Invitation
from tests.factories import programme_group


def test_staff_creates_invitation_bound_to_email_with_groups(staff_client, staff, django_capture_on_commit_callbacks):
    group = programme_group("dual-diagnosis")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/staff/invitations/",
            {
                "email": "new.person@example.org",
                "audience": "adult",
                "groups": [group.pk],
                "note": "May cohort",
                "days": "14",
            },
            follow=True,
        )
    invitation = Invitation.objects.get(email="new.person@example.org")
    assert invitation.code in response.content.decode()
    assert list(invitation.groups.all()) == [group]
    assert timedelta(days=13, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=14)
    assert AuditEntry.objects.filter(action="invite", actor=staff, target_id=str(invitation.pk)).exists()
    # The email carries the code and nothing about the clinic's programmes.
    assert len(mail.outbox) == 1
    assert invitation.code in mail.outbox[0].body
    assert "Dual Diagnosis" not in mail.outbox[0].body
    assert mail.outbox[0].subject == "Your invitation"


def test_staff_resends_and_revokes(staff_client, staff, django_capture_on_commit_callbacks):
    from members.services import create_invitation

    invitation = create_invitation(actor=staff, email="x@example.org", send=False)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/staff/invitations/{invitation.pk}/resend/")
    invitation.refresh_from_db()
    assert len(mail.outbox) == 1 and invitation.code in mail.outbox[0].body
    assert invitation.expires_at - timezone.now() > timedelta(days=13)
    staff_client.post(f"/staff/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    page = staff_client.get("/staff/invitations/").content.decode()
    assert "revoked" in page


def test_invitation_for_existing_account_is_refused(staff_client, member):
    response = staff_client.post("/staff/invitations/", {"email": member.email, "audience": "adult", "days": "14"})
    assert "already has an account" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("days", ["0", "500", "soon"])
def test_bad_validity_is_refused(staff_client, days):
    response = staff_client.post("/staff/invitations/", {"audience": "adult", "days": days})
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_members_and_moderators_cannot_invite(member_client, moderator_client):
    for client in (member_client, moderator_client):
        assert client.post("/staff/invitations/", {"audience": "adult", "days": "14"}).status_code == 403
    assert not Invitation.objects.exists()


def test_staff_assigns_groups_and_role(staff_client, member, staff):
    group = programme_group("womens-mental-wellness")
    teen_group = programme_group("teen-group")
    staff_client.post(f"/staff/members/{member.pk}/", {"groups": [group.pk, teen_group.pk], "role": "moderator"})
    member.refresh_from_db()
    # An adult cannot be put in the teen group.
    assert set(member.programme_memberships.values_list("group__slug", flat=True)) == {"womens-mental-wellness"}
    assert member.has_moderator_role  # the powers themselves wait for their second factor
    assert AuditEntry.objects.filter(action="set_role", target_id=str(member.pk), reason="moderator").exists()
