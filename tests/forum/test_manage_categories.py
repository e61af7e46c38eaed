"""Staff manage categories; nobody else can."""

from audit.models import AuditEntry
from forum.models import Category
from members.audience import Audience
from tests.factories import programme_group


def test_staff_add_a_programme_group_category(staff_client, staff):
    rp = programme_group("relapse-prevention")
    response = staff_client.post(
        "/forum/manage/new/",
        {
            "name": "RP check-ins",
            "description": "Weekly check-ins.",
            "audience": Audience.GROUPS,
            "programme_groups": [rp.pk],
            "position": 3,
            "slow_mode_seconds": 30,
        },
    )
    assert response.status_code == 302
    category = Category.objects.get()
    assert category.slug == "rp-check-ins" and list(category.programme_groups.all()) == [rp]
    assert category.slow_mode_seconds == 30 and category.position == 3
    entry = AuditEntry.objects.get(action="create_category")
    assert entry.actor == staff


def test_group_audience_without_groups_is_refused(staff_client):
    response = staff_client.post(
        "/forum/manage/new/", {"name": "X", "audience": Audience.GROUPS, "position": 0, "slow_mode_seconds": 0}
    )
    assert response.status_code == 200
    assert "Please choose at least one programme group" in response.content.decode()
    assert not Category.objects.exists() and not AuditEntry.objects.exists()


def test_staff_edit_lock_and_slow_mode(staff_client, adult_category):
    response = staff_client.post(
        f"/forum/manage/{adult_category.pk}/edit/",
        {
            "name": "Everyday recovery",
            "description": "New words",
            "audience": Audience.ADULTS,
            "position": 1,
            "locked": "on",
            "slow_mode_seconds": 60,
        },
    )
    assert response.status_code == 302
    adult_category.refresh_from_db()
    assert (
        adult_category.locked and adult_category.slow_mode_seconds == 60 and adult_category.description == "New words"
    )
    assert "locked" in AuditEntry.objects.get(action="update_category").reason


def test_members_and_moderators_may_not_manage(member_client, moderator_client, teen_client, adult_category):
    for client in (member_client, moderator_client, teen_client):
        assert client.get("/forum/manage/").status_code == 403
        assert (
            client.post(
                "/forum/manage/new/", {"name": "Mine", "audience": "adults", "position": 0, "slow_mode_seconds": 0}
            ).status_code
            == 403
        )
        assert client.get(f"/forum/manage/{adult_category.pk}/edit/").status_code == 403
    assert Category.objects.count() == 1


def test_manage_list_shows_every_category(staff_client, adult_category, teen_category, rp_category):
    page = staff_client.get("/forum/manage/").content.decode()
    for c in (adult_category, teen_category, rp_category):
        assert c.name in page
    assert "Relapse Prevention" in page
