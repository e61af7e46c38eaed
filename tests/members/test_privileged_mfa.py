from members.models import Role
from tests.factories import UserFactory


def test_staff_without_mfa_is_sent_to_set_it_up(client_for, db):
    staff = UserFactory(roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF])
    client = client_for(staff)
    for path in ("/staff/invitations/", "/cms/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/"
    assert "set up two-factor" in client.get("/accounts/2fa/").content.decode()


def test_staff_with_mfa_gets_in(staff_client):
    assert staff_client.get("/staff/invitations/").status_code == 200
    assert staff_client.get("/cms/").status_code == 200


def test_dev_setting_relaxes_mfa_and_says_so(client_for, settings, db):
    settings.COMMUNITY_REQUIRE_MFA_FOR_PRIVILEGED = False
    staff = UserFactory(roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF])
    response = client_for(staff).get("/staff/invitations/")
    assert response.status_code == 200
    assert "two-factor authentication is not required" in response.content.decode()


def test_production_settings_require_mfa(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "community.example.org")
    import importlib

    import community.settings.production as production

    importlib.reload(production)
    assert production.COMMUNITY_REQUIRE_MFA_FOR_PRIVILEGED is True
