"""Approval mode (issue 9): staff place an applicant in programme groups when approving, on the applicant's side
of the age line, and the applicant gets a discreet email after the approval is saved."""

import pytest
from django.core import mail

from audit.models import AuditEntry
from members.models import ProgrammeGroup, ProgrammeMembership
from tests.factories import UserFactory, teen_year

pytestmark = pytest.mark.django_db


def _groups(for_teens: bool):
    return list(ProgrammeGroup.objects.filter(for_teens=for_teens))


def test_approving_with_groups_places_the_applicant_and_emails_them_discreetly(
    staff_client, staff, applicant, django_capture_on_commit_callbacks
):
    chosen = _groups(False)[:2]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/staff/approvals/{applicant.pk}/approve/", {"groups": [g.pk for g in chosen], "reason": "Known to us"}
        )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.approved_at is not None
    assert set(ProgrammeMembership.objects.filter(user=applicant).values_list("group", flat=True)) == {
        g.pk for g in chosen
    }
    assert AuditEntry.objects.get(action="approve", target_id=str(applicant.pk)).reason == "Known to us"
    groups_row = AuditEntry.objects.get(action="set_groups", target_id=str(applicant.pk))
    assert groups_row.changes["programme_groups"] == [[], sorted(g.name for g in chosen)]

    [email] = mail.outbox
    assert email.to == [applicant.email] and email.subject == "Your account is ready"
    text = (email.subject + email.body).lower()
    for word in ["clinic", "programme", "program", "group", "recovery", "treatment", "therapy", "teen"]:
        assert word not in text
    for group in ProgrammeGroup.objects.all():
        assert group.name.lower() not in text
    assert "/accounts/login/" in email.body


def test_a_group_across_the_age_line_is_refused_and_nothing_changes(staff_client, applicant):
    response = staff_client.post(
        f"/staff/approvals/{applicant.pk}/approve/", {"groups": [_groups(True)[0].pk]}, follow=True
    )
    assert "only adult programme groups fit" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.approved_at is None
    assert not ProgrammeMembership.objects.filter(user=applicant).exists()
    assert not mail.outbox


def test_a_teen_applicant_is_offered_teen_groups_only(staff_client, staff):
    teen = UserFactory(display_name="Robin", approved_at=None, year_of_birth=teen_year())
    page = staff_client.get("/staff/approvals/").content.decode()
    start = page.index("Programme groups for Robin")
    section = page[start : page.index("</fieldset>", start)]
    assert all(g.name in section for g in _groups(True))
    assert not any(g.name in section for g in _groups(False))
    staff_client.post(f"/staff/approvals/{teen.pk}/approve/", {"groups": [g.pk for g in _groups(True)]})
    assert ProgrammeMembership.objects.filter(user=teen).count() == len(_groups(True))


def test_approving_without_groups_still_works(staff_client, applicant):
    staff_client.post(f"/staff/approvals/{applicant.pk}/approve/", {})
    applicant.refresh_from_db()
    assert applicant.approved_at is not None
    assert not AuditEntry.objects.filter(action="set_groups").exists()
