from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from audit.models import AuditEntry
from members.models import ConsentRecord, Invitation, ProgrammeMembership, User
from members.services import create_invitation, revoke_invitation
from tests.factories import programme_group
from tests.members.signup_data import PASSWORD, signup_data


@pytest.fixture
def invitation(staff):
    return create_invitation(actor=staff, groups=[programme_group("relapse-prevention")], send=False)


def _errors(response) -> str:
    return response.content.decode()


def assert_nothing_created(email="casey@example.org"):
    assert not User.objects.filter(email=email).exists()
    assert not EmailAddress.objects.filter(email=email).exists()


def test_invited_alumnus_signs_up_verifies_and_becomes_member(client, invitation, django_capture_on_commit_callbacks):
    # The confirmation email leaves after the sign-up commits (members.tasks); the test runs that callback.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", signup_data(code=invitation.code))
    assert response.status_code == 302
    user = User.objects.get(email="casey@example.org")
    assert user.display_name == "Casey"
    assert not user.is_approved_member  # the email is not verified yet
    invitation.refresh_from_db()
    assert invitation.used_by == user
    assert set(ConsentRecord.objects.filter(user=user).values_list("document", flat=True)) == {"guidelines", "privacy"}
    assert ProgrammeMembership.objects.filter(user=user, group__slug="relapse-prevention").exists()
    # Until the address is verified there is no way in: sign-in just sends the link again.
    assert response["Location"] == "/accounts/confirm-email/"
    client.post("/accounts/login/", {"login": "casey@example.org", "password": PASSWORD})
    assert client.get("/forum/").url.startswith("/accounts/login/")
    # The verification email is discreet: it names no clinic programme or treatment.
    message = mail.outbox[-1]
    assert "recovery" not in (message.subject + message.body).lower()
    assert "therapy" not in (message.subject + message.body).lower()
    link = next(line for line in message.body.splitlines() if "/accounts/confirm-email/" in line).strip()
    path = link[link.index("/accounts/confirm-email/") :]
    client.post(path)
    user.refresh_from_db()
    assert user.is_approved_member
    client.post("/accounts/login/", {"login": "casey@example.org", "password": PASSWORD})
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "mutate, field_message",
    [
        (lambda inv: {"code": "NOPE-NOPE"}, "find that invitation code"),
        (lambda inv: {"code": ""}, "enter the code from your invitation"),
    ],
)
def test_unknown_or_missing_code_is_refused(client, invitation, mutate, field_message):
    response = client.post("/accounts/signup/", signup_data(**mutate(invitation)))
    assert response.status_code == 200
    assert field_message in _errors(response)
    assert_nothing_created()


def test_used_code_is_refused(client, invitation, member):
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now(), used_by=member)
    response = client.post("/accounts/signup/", signup_data(code=invitation.code))
    assert "already been used" in _errors(response)
    assert_nothing_created()


def test_revoked_code_is_refused(client, invitation, staff):
    revoke_invitation(invitation=invitation, actor=staff)
    response = client.post("/accounts/signup/", signup_data(code=invitation.code))
    assert "no longer valid" in _errors(response)
    assert_nothing_created()


def test_expired_code_is_refused(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post("/accounts/signup/", signup_data(code=invitation.code))
    assert "has expired" in _errors(response)
    assert_nothing_created()


def test_invitation_bound_to_another_email_is_refused(client, staff):
    bound = create_invitation(actor=staff, email="someone.else@example.org", send=False)
    response = client.post("/accounts/signup/", signup_data(code=bound.code))
    assert "sent to a different email address" in _errors(response)
    assert_nothing_created()
    response = client.post("/accounts/signup/", signup_data(code=bound.code, email="Someone.Else@example.org"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name",
    ["sam", "SAM", "Admin", "Site_Admin", "moderator", "Staff Team", "support-desk", "<script>x</script>", "a", "  "],
)
def test_taken_impersonating_or_malformed_display_names_are_refused(client, invitation, member, name):
    assert member.display_name == "Sam"
    response = client.post("/accounts/signup/", signup_data(code=invitation.code, display_name=name))
    assert response.status_code == 200
    body = _errors(response)
    assert (
        "already taken" in body
        or "mistaken for the clinic team" in body
        or "Please use 3 to 30" in body
        or "This field is required" in body
    )
    assert "<script>x</script>" not in body
    assert_nothing_created()


def test_under_13_is_refused_kindly(client, invitation):
    year = timezone.localdate().year - 12
    response = client.post("/accounts/signup/", signup_data(code=invitation.code, year_of_birth=str(year)))
    assert "at least 13" in _errors(response)
    assert_nothing_created()


@pytest.mark.parametrize("missing", ["accept_guidelines", "accept_privacy"])
def test_missing_consent_is_refused(client, invitation, missing):
    data = signup_data(code=invitation.code)
    del data[missing]
    response = client.post("/accounts/signup/", data)
    assert "Please accept the" in _errors(response)
    assert_nothing_created()


@pytest.mark.parametrize("password", ["password123", "short", "1234567890123"])
def test_weak_or_common_password_is_refused(client, invitation, password):
    response = client.post(
        "/accounts/signup/", signup_data(code=invitation.code, password1=password, password2=password)
    )
    assert response.status_code == 200
    assert_nothing_created()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_approval_mode_queues_signups_for_staff(client, settings, staff_client):
    settings.COMMUNITY_SIGNUP_MODE = "approval"
    page = client.get("/accounts/signup/").content.decode()
    assert "Invitation code" not in page
    client.post("/accounts/signup/", signup_data())
    applicant = User.objects.get(email="casey@example.org")
    assert applicant.approved_at is None
    EmailAddress.objects.filter(user=applicant).update(verified=True)
    User.objects.filter(pk=applicant.pk).update(email_verified=True)
    client.post("/accounts/login/", {"login": "casey@example.org", "password": PASSWORD})
    assert client.get("/").url == "/welcome/"
    assert "review your sign-up soon" in client.get("/welcome/").content.decode()
    queue = staff_client.get("/staff/approvals/").content.decode()
    assert "Casey" in queue
    staff_client.post(f"/staff/approvals/{applicant.pk}/approve/", {"reason": "Known to the team"})
    applicant.refresh_from_db()
    assert AuditEntry.objects.filter(action="approve", target_id=str(applicant.pk), actor__isnull=False).exists()
    assert applicant.is_approved_member
    assert client.get("/").status_code == 200
