"""The age line between teen and adult spaces is never crossed by self-declaration (issue 7, item 2)."""

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from audit.models import AuditEntry
from members.models import Invitation, ProgrammeMembership, User
from members.services import create_invitation
from members.signals import member_access_changed
from tests.factories import UserFactory, enable_totp, programme_group, teen_year
from tests.members.signup_data import signup_data


def assert_nothing_written(invitation=None):
    assert not User.objects.filter(email="casey@example.org").exists()
    assert not EmailAddress.objects.filter(email="casey@example.org").exists()
    if invitation is not None:
        invitation.refresh_from_db()
        assert invitation.used_at is None and invitation.used_by is None


@pytest.fixture
def uncleared_staff(db):
    user = UserFactory(display_name="Robin team", roles=["member", "moderator", "staff"], teen_cleared=False)
    enable_totp(user)
    return user


# --- sign-up ------------------------------------------------------------------------------------------


def test_adult_invitation_used_with_a_teen_birth_year_opens_no_teen_space(client, staff):
    """The hole from the review: an adult-group code plus a teen year gave a pre-approved teen account."""
    invitation = create_invitation(actor=staff, groups=[programme_group("relapse-prevention")], send=False)
    response = client.post("/accounts/signup/", signup_data(code=invitation.code, year_of_birth=str(teen_year())))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ask the clinic team" in page
    assert_nothing_written(invitation)
    assert not ProgrammeMembership.objects.filter(group__slug="teen-group").exists()


def test_teen_invitation_used_with_an_adult_birth_year_is_refused(client, staff):
    invitation = create_invitation(actor=staff, audience="teen", groups=[programme_group("teen-group")], send=False)
    response = client.post("/accounts/signup/", signup_data(code=invitation.code, year_of_birth="1990"))
    assert response.status_code == 200
    assert "ask the clinic team" in response.content.decode()
    assert_nothing_written(invitation)


def test_teen_invitation_places_a_teen_in_its_own_groups(client, staff):
    invitation = create_invitation(actor=staff, audience="teen", groups=[programme_group("teen-group")], send=False)
    response = client.post("/accounts/signup/", signup_data(code=invitation.code, year_of_birth=str(teen_year())))
    assert response.status_code == 302
    teen = User.objects.get(email="casey@example.org")
    assert teen.is_teen and teen.approved_at is not None
    assert set(teen.programme_memberships.values_list("group__slug", flat=True)) == {"teen-group"}


def test_adult_invitation_keeps_exactly_its_groups(client, staff):
    invitation = create_invitation(actor=staff, groups=[programme_group("dual-diagnosis")], send=False)
    client.post("/accounts/signup/", signup_data(code=invitation.code))
    adult = User.objects.get(email="casey@example.org")
    assert set(adult.programme_memberships.values_list("group__slug", flat=True)) == {"dual-diagnosis"}


def test_approval_mode_never_places_a_self_declared_teen(client, settings, staff_client):
    settings.COMMUNITY_SIGNUP_MODE = "approval"
    response = client.post("/accounts/signup/", signup_data(year_of_birth=str(teen_year())))
    assert response.status_code == 302
    applicant = User.objects.get(email="casey@example.org")
    assert applicant.approved_at is None
    assert not applicant.programme_memberships.exists()
    # Staff see which side of the line they are approving.
    queue = staff_client.get("/staff/approvals/").content.decode()
    assert "Casey" in queue and "teen" in queue


# --- staff invitations --------------------------------------------------------------------------------


def test_staff_invitation_states_its_audience(staff_client):
    teen_group = programme_group("teen-group")
    response = staff_client.post("/staff/invitations/", {"audience": "teen", "groups": [teen_group.pk], "days": "14"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.audience == "teen"
    assert list(invitation.groups.all()) == [teen_group]


@pytest.mark.parametrize(
    "audience, slug",
    [("adult", "teen-group"), ("teen", "relapse-prevention")],
)
def test_invitation_groups_must_fit_its_audience(staff_client, audience, slug):
    group = programme_group(slug)
    response = staff_client.post("/staff/invitations/", {"audience": audience, "groups": [group.pk], "days": "14"})
    assert response.status_code == 200
    assert "only" in response.content.decode() and "groups" in response.content.decode()
    assert not Invitation.objects.exists()


def test_existing_invitations_take_their_audience_from_their_groups(staff):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("members.migrations.0002_invitation_audience")
    assert migration.audience_for_group_flags([True]) == "teen"
    assert migration.audience_for_group_flags([False, False]) == "adult"
    assert migration.audience_for_group_flags([]) == "adult"
    # Rows from before the field existed all read "adult"; the migration corrects the teen ones.
    old_teen = Invitation.objects.create(created_by=staff)
    old_teen.groups.set([programme_group("teen-group")])
    old_adult = Invitation.objects.create(created_by=staff)
    old_adult.groups.set([programme_group("dual-diagnosis")])
    migration.infer_audience(apps, None)
    assert Invitation.objects.get(pk=old_teen.pk).audience == "teen"
    assert Invitation.objects.get(pk=old_adult.pk).audience == "adult"


def test_only_teen_cleared_staff_issue_teen_invitations(client_for, uncleared_staff):
    client = client_for(uncleared_staff)
    group = programme_group("teen-group")
    response = client.post("/staff/invitations/", {"audience": "teen", "groups": [group.pk], "days": "14"})
    assert response.status_code == 200
    assert not Invitation.objects.exists()


# --- moving a member across the line ------------------------------------------------------------------


def test_staff_moves_a_member_across_the_line_with_an_audit_row(
    staff_client, staff, django_capture_on_commit_callbacks
):
    adult = UserFactory(display_name="Morgan", programme_groups=[programme_group("relapse-prevention")])
    heard = []

    def listener(sender, user_ids, **kwargs):
        heard.append(user_ids)

    member_access_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(
                f"/staff/members/{adult.pk}/age/",
                {"year_of_birth": str(teen_year()), "groups": [programme_group("teen-group").pk], "reason": "Typo"},
            )
    finally:
        member_access_changed.disconnect(listener)
    assert response.status_code == 302
    adult.refresh_from_db()
    assert adult.is_teen
    # Adult groups go; only groups of the new side stay.
    assert set(adult.programme_memberships.values_list("group__slug", flat=True)) == {"teen-group"}
    entry = AuditEntry.objects.get(action="set_year_of_birth", target_id=str(adult.pk))
    assert entry.actor == staff and "1985" in entry.reason and str(teen_year()) in entry.reason
    assert (adult.pk,) in heard


def test_moving_back_to_adult_drops_teen_groups(staff_client, teen_member):
    response = staff_client.post(f"/staff/members/{teen_member.pk}/age/", {"year_of_birth": "1990", "reason": ""})
    assert response.status_code == 302
    teen_member.refresh_from_db()
    assert not teen_member.is_teen
    assert not teen_member.programme_memberships.exists()


def test_unchanged_year_writes_no_audit_row(staff_client, member):
    staff_client.post(f"/staff/members/{member.pk}/age/", {"year_of_birth": str(member.year_of_birth)})
    assert not AuditEntry.objects.filter(action="set_year_of_birth").exists()


@pytest.mark.parametrize("year", ["soon", str(timezone.localdate().year - 5), "1800"])
def test_bad_year_is_refused(staff_client, member, year):
    response = staff_client.post(f"/staff/members/{member.pk}/age/", {"year_of_birth": year})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.year_of_birth == 1985


def test_uncleared_staff_cannot_move_anyone_across_the_line(client_for, uncleared_staff, member, teen_member):
    client = client_for(uncleared_staff)
    response = client.post(f"/staff/members/{member.pk}/age/", {"year_of_birth": str(teen_year())})
    assert response.status_code == 403
    member.refresh_from_db()
    assert not member.is_teen
    # A teen member is not even visible to them.
    assert client.post(f"/staff/members/{teen_member.pk}/age/", {"year_of_birth": "1990"}).status_code == 404


def test_members_and_moderators_cannot_change_a_birth_year(member_client, moderator_client, member2):
    for client in (member_client, moderator_client):
        assert client.post(f"/staff/members/{member2.pk}/age/", {"year_of_birth": str(teen_year())}).status_code == 403
    member2.refresh_from_db()
    assert not member2.is_teen


def test_django_admin_cannot_change_the_age_line(member, rf):
    """No side door: the Django admin shows the year of birth and teen clearance but cannot change anything."""
    from django.contrib import admin

    from members.admin import UserAdmin

    request = rf.get("/")
    request.user = member
    user_admin = UserAdmin(User, admin.site)
    assert not user_admin.has_change_permission(request, member)
    assert {"year_of_birth", "teen_cleared"} <= set(user_admin.get_fields(request, member))
