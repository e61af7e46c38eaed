"""A member's profile page (issue 9): minimal and private; teens and adults never see each other."""

import pytest

from tests.factories import UserFactory, teen_year

pytestmark = pytest.mark.django_db


def test_a_member_sees_another_adults_profile_with_a_report_link(member_client, member2):
    response = member_client.get(f"/members/{member2.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Jordan" in page and f"Member since {member2.date_joined.year}" in page
    assert f'href="/report/member/{member2.pk}/"' in page
    # Nothing that could identify or place them: no email, no year of birth, no programme group.
    assert member2.email not in page and "1985" not in page


def test_ones_own_profile_has_no_report_link(member_client, member):
    page = member_client.get(f"/members/{member.pk}/").content.decode()
    assert "Sam" in page and "/report/member/" not in page


def test_teens_and_adults_never_see_each_other(member_client, teen_client, member, teen_member):
    assert member_client.get(f"/members/{teen_member.pk}/").status_code == 404
    assert teen_client.get(f"/members/{member.pk}/").status_code == 404
    other_teen = UserFactory(display_name="Quinn", year_of_birth=teen_year())
    assert teen_client.get(f"/members/{other_teen.pk}/").status_code == 200


def test_moderators_are_seen_by_teens_and_teen_cleared_staff_see_teens(
    teen_client, staff_client, moderator, teen_member
):
    assert teen_client.get(f"/members/{moderator.pk}/").status_code == 200
    assert staff_client.get(f"/members/{teen_member.pk}/").status_code == 200


def test_applicants_and_unknown_numbers_are_not_found(member_client, applicant, client):
    assert member_client.get(f"/members/{applicant.pk}/").status_code == 404
    assert member_client.get("/members/999999/").status_code == 404
    # A visitor is sent to sign in, as everywhere.
    assert client.get(f"/members/{applicant.pk}/").status_code == 302


def test_the_profile_page_costs_a_fixed_number_of_queries(member_client, member2, django_assert_num_queries):
    member_client.get(f"/members/{member2.pk}/")  # the session is saved once, on the first request
    # Session, reader, reader's roles, the member, the reader's notices (the crisis link is cached by then); then the
    # buddy buttons: may they reach each other (2), buddies already, a request either way (3), a support request.
    with django_assert_num_queries(12):
        assert member_client.get(f"/members/{member2.pk}/").status_code == 200
