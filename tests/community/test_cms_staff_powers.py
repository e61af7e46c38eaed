"""Staff edit pages in Wagtail; people, roles and passwords only on the project's own audited staff pages."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from members.models import Role, User
from members.setup import ROLE_PERMISSIONS, ensure_roles_and_groups
from resources.models import ResourceIndexPage
from tests.factories import UserFactory, enable_totp

PEOPLE_ADMIN = ["/cms/users/", "/cms/groups/", "/cms/sites/", "/cms/users/new/", "/cms/groups/new/"]


@pytest.fixture
def site_admin(db):
    user = UserFactory(display_name="Site admin", is_superuser=True, is_staff=True)
    enable_totp(user)
    return user


def test_staff_cannot_open_wagtails_user_group_or_site_admin(staff_client, member_client, client_for, site_admin):
    admin_client = client_for(site_admin)
    for path in PEOPLE_ADMIN:
        assert staff_client.get(path).status_code in (403, 404), path
        assert member_client.get(path).status_code == 403, path
        assert admin_client.get(path).status_code == 200, path


def test_staff_cannot_edit_a_user_or_make_a_superuser(staff_client, member, staff):
    edit = f"/cms/users/edit/{member.pk}/"
    assert staff_client.get(edit).status_code in (403, 404)
    response = staff_client.post(
        edit,
        {
            "email": member.email,
            "display_name": member.display_name,
            "is_active": "on",
            "is_superuser": "on",
            "groups": [Group.objects.get(name=Role.STAFF).pk],
        },
    )
    assert response.status_code in (403, 404)
    for action in ("set_active_state", "assign_role", "delete"):
        bulk = f"/cms/bulk/members/user/{action}/?id={member.pk}"
        assert staff_client.post(bulk, {"mark_as_active": "", "role": "1", "action": "add"}).status_code in (403, 404)
    member.refresh_from_db()
    assert not member.is_superuser and member.is_active
    assert set(member.groups.values_list("name", flat=True)) == {Role.MEMBER}
    # Nor themselves.
    staff_client.post(f"/cms/users/edit/{staff.pk}/", {"email": staff.email, "is_superuser": "on"})
    staff.refresh_from_db()
    assert not staff.is_superuser


def test_staff_menu_offers_pages_not_people(staff_client, client_for, site_admin):
    # Wagtail's sidebar is drawn from JSON in the page: the menu's addresses appear there as strings.
    home = staff_client.get("/cms/").content.decode()
    assert "/cms/pages/" in home
    for link in ("/cms/users/", "/cms/groups/", "/cms/sites/"):
        assert link not in home, link
    assert "/cms/users/" in client_for(site_admin).get("/cms/").content.decode()


def test_staff_in_the_resource_editors_group_edit_resource_pages(staff, staff_client):
    # The staff role alone no longer edits pages (every staff member could then publish alone): page rights come
    # from the "Resource editors" and "Resource publishers" groups (tests/resources/test_workflow.py).
    staff.groups.add(Group.objects.get(name="Resource editors"))
    index = ResourceIndexPage.objects.get()
    assert staff_client.get(f"/cms/pages/{index.pk}/").status_code == 200
    assert staff_client.get(f"/cms/pages/{index.pk}/edit/").status_code == 200


def test_no_role_holds_permissions_on_people(db):
    for role in (Role.MEMBER, Role.MODERATOR, Role.STAFF):
        perms = Group.objects.get(name=role).permissions.filter(content_type__app_label__in=["members", "auth"])
        assert not perms.exists(), (role, list(perms))
    assert not any(p.startswith(("members.", "auth.")) for perms in ROLE_PERMISSIONS.values() for p in perms)


def test_setup_takes_away_permissions_an_older_version_granted(db):
    staff_group = Group.objects.get(name=Role.STAFF)
    staff_group.permissions.add(Permission.objects.get(content_type__app_label="members", codename="change_user"))
    ensure_roles_and_groups()
    assert not staff_group.permissions.filter(codename="change_user").exists()
    assert staff_group.permissions.filter(codename="access_admin").exists()


def test_a_staff_member_with_an_old_grant_is_still_kept_out(staff, member):
    """Even if someone gives the staff group user permissions again, the address stays closed to non-admins."""
    Group.objects.get(name=Role.STAFF).permissions.add(
        *Permission.objects.filter(content_type__app_label="members", codename__in=["change_user", "view_user"])
    )
    fresh = User.objects.get(pk=staff.pk)
    c = Client()
    c.force_login(fresh)
    assert c.get("/cms/users/").status_code == 403
    assert c.get(f"/cms/users/edit/{member.pk}/").status_code == 403


def test_a_later_migrate_keeps_what_staff_changed(db):
    """Roles come from a data migration run once, not from a hook after every `migrate`."""
    from django.core.management.sql import emit_post_migrate_signal

    moderators = Group.objects.get(name=Role.MODERATOR)
    moderators.permissions.clear()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert not moderators.permissions.exists()
