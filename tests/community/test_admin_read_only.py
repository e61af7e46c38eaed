"""The Django admin is a read-only window: no model can be added, changed or deleted there, even by a site
administrator, because every change must go through the audited services (no side doors)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from tests.factories import UserFactory, enable_totp


@pytest.fixture
def site_admin(db):
    user = UserFactory(display_name="Root", is_superuser=True, is_staff=True)
    enable_totp(user)
    return user


def test_no_registered_model_can_be_changed_in_the_django_admin(site_admin):
    request = RequestFactory().get("/django-admin/")
    request.user = site_admin
    editable = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_add_permission(request)
        or model_admin.has_change_permission(request)
        or model_admin.has_delete_permission(request)
    ]
    assert editable == []


def test_library_models_that_would_be_side_doors_are_not_in_the_admin():
    labels = {model._meta.label for model in admin.site._registry}
    assert not labels & {"account.EmailAddress", "mfa.Authenticator", "usersessions.UserSession", "auth.Group"}


def test_a_site_admin_cannot_make_someone_a_superuser_through_the_admin(site_admin, member, client_for):
    client = client_for(site_admin)
    page = client.get(f"/django-admin/members/user/{member.pk}/change/")
    assert page.status_code == 200  # they may look
    assert member.email not in page.content.decode()  # but the admin does not list members' emails
    response = client.post(
        f"/django-admin/members/user/{member.pk}/change/",
        {"display_name": member.display_name, "is_superuser": "on", "is_staff": "on"},
    )
    assert response.status_code == 403
    member.refresh_from_db()
    assert not member.is_superuser and not member.is_staff
    assert client.get("/django-admin/members/user/add/").status_code == 403
