"""Staff who are not teen-cleared see no teen space or teen member on the team pages (issue 7, lower items).

DESIGN.md: "Staff and moderators flagged as teen-cleared can see teen spaces"; teens and adults never see each
other's profiles. The same selectors that members go through (members.audience) decide it for staff.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chat.models import Room
from chat.services import save_room
from forum.models import Category
from forum.services import create_category
from members.services import create_invitation
from tests.factories import UserFactory, enable_totp, programme_group, teen_year

TEEN_CATEGORY = "Teen corner"
TEEN_ROOM = "Teen hangout"


@pytest.fixture
def uncleared_staff(db):
    user = UserFactory(display_name="Robin team", roles=["member", "moderator", "staff"], teen_cleared=False)
    enable_totp(user)
    return user


@pytest.fixture
def uncleared_client(client_for, uncleared_staff):
    return client_for(uncleared_staff)


@pytest.fixture
def spaces(staff):
    teen_category = create_category(actor=staff, name=TEEN_CATEGORY, audience="teens")
    adult_category = create_category(actor=staff, name="Everyday wins", audience="adults")
    room_fields = {"description": "", "slow_mode_seconds": 0, "retention_days": 0}
    teen_room = save_room(
        actor=staff,
        room=None,
        fields={"name": TEEN_ROOM, "slug": "teen-hangout", "audience": "teens", **room_fields},
        programme_groups=[],
    )
    adult_room = save_room(
        actor=staff,
        room=None,
        fields={"name": "Evening circle", "slug": "evening-circle", "audience": "adults", **room_fields},
        programme_groups=[],
    )
    return teen_category, adult_category, teen_room, adult_room


def test_manage_pages_hide_teen_spaces_from_uncleared_staff(uncleared_client, spaces):
    teen_category, adult_category, teen_room, adult_room = spaces
    forum_page = uncleared_client.get("/forum/manage/").content.decode()
    chat_page = uncleared_client.get("/chat/manage/").content.decode()
    assert "Everyday wins" in forum_page and TEEN_CATEGORY not in forum_page
    assert "Evening circle" in chat_page and TEEN_ROOM not in chat_page
    # Their edit pages do not exist for them (404, like any space outside one's audience).
    assert uncleared_client.get(f"/forum/manage/{teen_category.pk}/edit/").status_code == 404
    assert uncleared_client.get(f"/chat/manage/{teen_room.pk}/").status_code == 404
    assert uncleared_client.get(f"/forum/manage/{adult_category.pk}/edit/").status_code == 200
    assert uncleared_client.get(f"/chat/manage/{adult_room.pk}/").status_code == 200


def test_manage_pages_show_teen_spaces_to_cleared_staff(staff_client, spaces):
    teen_category, _, teen_room, _ = spaces
    assert TEEN_CATEGORY in staff_client.get("/forum/manage/").content.decode()
    assert TEEN_ROOM in staff_client.get("/chat/manage/").content.decode()
    assert staff_client.get(f"/forum/manage/{teen_category.pk}/edit/").status_code == 200
    assert staff_client.get(f"/chat/manage/{teen_room.pk}/").status_code == 200


def test_manage_pages_stay_closed_to_members(member_client, teen_client, spaces):
    teen_category, _, teen_room, _ = spaces
    for client in (member_client, teen_client):
        assert client.get("/forum/manage/").status_code == 403
        assert client.get("/chat/manage/").status_code == 403
        assert client.get(f"/chat/manage/{teen_room.pk}/").status_code == 403


def test_uncleared_staff_cannot_make_or_turn_a_space_into_a_teen_space(uncleared_client, spaces):
    _, adult_category, _, adult_room = spaces
    response = uncleared_client.post(
        "/forum/manage/new/", {"name": "Hidden teens", "audience": "teens", "position": "0", "slow_mode_seconds": "0"}
    )
    assert response.status_code == 200 and "cleared to work with teens" in response.content.decode()
    assert not Category.objects.filter(name="Hidden teens").exists()
    response = uncleared_client.post(
        f"/chat/manage/{adult_room.pk}/",
        {
            "name": "Evening circle",
            "slug": "evening-circle",
            "audience": "teens",
            "slow_mode_seconds": "0",
            "retention_days": "0",
        },
    )
    assert response.status_code == 200 and "cleared to work with teens" in response.content.decode()
    adult_room.refresh_from_db()
    assert adult_room.audience == "adults"


def test_member_pages_hide_teen_members_from_uncleared_staff(uncleared_client, staff_client, teen_member, member):
    page = uncleared_client.get("/staff/members/").content.decode()
    assert member.display_name in page and teen_member.display_name not in page
    assert uncleared_client.get(f"/staff/members/{teen_member.pk}/").status_code == 404
    assert uncleared_client.post(f"/staff/members/{teen_member.pk}/", {"role": "member"}).status_code == 404
    # Cleared staff see and manage both.
    page = staff_client.get("/staff/members/").content.decode()
    assert member.display_name in page and teen_member.display_name in page
    assert staff_client.get(f"/staff/members/{teen_member.pk}/").status_code == 200


def test_approvals_and_invitations_hide_teens_from_uncleared_staff(uncleared_client, staff_client, staff, settings):
    teen_applicant = UserFactory(display_name="Quinn", year_of_birth=teen_year(), approved_at=None)
    adult_applicant = UserFactory(display_name="Harper", approved_at=None)
    teen_invitation = create_invitation(
        actor=staff, audience="teen", groups=[programme_group("teen-group")], note="teen cohort", send=False
    )
    page = uncleared_client.get("/staff/approvals/").content.decode()
    assert "Harper" in page and "Quinn" not in page
    assert uncleared_client.post(f"/staff/approvals/{teen_applicant.pk}/approve/").status_code == 404
    teen_applicant.refresh_from_db()
    assert teen_applicant.approved_at is None
    page = uncleared_client.get("/staff/invitations/").content.decode()
    assert teen_invitation.code not in page and "teen cohort" not in page
    assert uncleared_client.post(f"/staff/invitations/{teen_invitation.pk}/revoke/").status_code == 404
    page = staff_client.get("/staff/approvals/").content.decode()
    assert "Harper" in page and "Quinn" in page
    assert teen_invitation.code in staff_client.get("/staff/invitations/").content.decode()
    assert adult_applicant.pk


@pytest.mark.parametrize("url", ["/forum/manage/", "/chat/manage/", "/staff/members/", "/staff/invitations/"])
def test_team_list_pages_cost_the_same_whatever_the_rows(staff_client, staff, url, django_assert_num_queries):
    def add_rows(n: int, start: int) -> None:
        for i in range(start, start + n):
            create_category(actor=staff, name=f"Category {i}", audience="teens" if i % 2 else "adults")
            Room.objects.create(name=f"Room {i}", slug=f"room-{i}", audience="teens" if i % 2 else "adults")
            UserFactory(display_name=f"Person {i}", programme_groups=[programme_group("relapse-prevention")])
            create_invitation(actor=staff, groups=[programme_group("dual-diagnosis")], send=False)

    add_rows(2, 0)
    staff_client.get(url)  # warm caches (content types, site) that a first request fills
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(url).status_code == 200
    add_rows(4, 2)
    with django_assert_num_queries(len(few.captured_queries)):
        assert staff_client.get(url).status_code == 200
