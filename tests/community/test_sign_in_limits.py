"""Failed sign-ins are limited per client and account together, so a stranger cannot lock a member out."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"
STRANGER_IP = "203.0.113.9"
OWNER_IP = "198.51.100.7"


@pytest.fixture(autouse=True)
def _rate_limits_on(settings):
    # The test settings turn rate limits off for every other test; here they are what is tested.
    from community.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS


@pytest.fixture
def owner(db):
    return UserFactory(display_name="Owner", email="owner@example.com")


def _sign_in(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def _too_many(response) -> bool:
    return response.status_code == 429 or "Too many failed login attempts" in response.content.decode()


def test_a_stranger_guessing_cannot_lock_the_owner_out(owner):
    stranger = Client(REMOTE_ADDR=STRANGER_IP)
    for _ in range(5):
        response = _sign_in(stranger, owner.email, "wrong password")
        assert not _too_many(response) and stranger.session.get(SESSION_KEY) is None
    # The stranger's own client is stopped, even with the right password ...
    assert _too_many(_sign_in(stranger, owner.email, "another guess"))
    assert _too_many(_sign_in(stranger, owner.email, PASSWORD))
    assert stranger.session.get(SESSION_KEY) is None
    # ... while the owner, from their own device, signs in.
    own_device = Client(REMOTE_ADDR=OWNER_IP)
    response = _sign_in(own_device, owner.email, PASSWORD)
    assert response.status_code == 302
    assert own_device.session.get(SESSION_KEY) == str(owner.pk)


def test_one_client_guessing_across_accounts_is_still_limited(db):
    people = [UserFactory() for _ in range(11)]
    guesser = Client(REMOTE_ADDR=STRANGER_IP)
    for person in people[:10]:
        assert not _too_many(_sign_in(guesser, person.email, "wrong password"))
    assert _too_many(_sign_in(guesser, people[10].email, "wrong password"))


def test_the_owner_is_limited_too_from_a_client_that_keeps_failing(owner):
    own_device = Client(REMOTE_ADDR=OWNER_IP)
    for _ in range(5):
        _sign_in(own_device, owner.email, "typo")
    assert _too_many(_sign_in(own_device, owner.email, PASSWORD))


def test_the_sign_in_page_says_what_happens_after_too_many_tries(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "After five wrong passwords for one account, signing in to it from this device pauses for five" in page
    assert 'href="/accounts/password/reset/"' in page
