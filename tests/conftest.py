import importlib
import os
import uuid

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from members.models import Role
from members.setup import ensure_roles_and_groups
from resources.services import ensure_resource_root
from tests import email_guard
from tests.factories import UserFactory, enable_totp, teen_year

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


@pytest.fixture(autouse=True)
def _own_cache_keys(settings):
    """Rate-limit counters, presence and socket counts live in the cache; each test gets its own key space.

    A key prefix rather than cache.clear(): on Redis, clearing would empty a database other runs may share,
    and counters left by an earlier run (they live for minutes) must not leak into this one.
    """
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"} for name, config in settings.CACHES.items()
    }
    yield
    # Async tests run each on their own event loop; a Redis connection must not outlive its loop.
    cache.close()


@pytest.fixture(autouse=True)
def _baseline(request, settings):
    """Roles, programme groups and the Wagtail root exist in every database test.

    Transactional tests empty the tables after each test, so this runs again each time (it is idempotent).
    """
    settings.COMMUNITY_REQUIRE_MFA_FOR_PRIVILEGED = True
    if _uses_db(request):
        request.getfixturevalue("transactional_db" if _is_transactional(request) else "db")
        ensure_roles_and_groups()
        ensure_resource_root()
        # The crisis list comes from a data migration; a transactional test elsewhere in the run empties the
        # table when it ends (PostgreSQL's flush), so put the seeded rows back the way the migration does.
        from django.apps import apps

        importlib.import_module("moderation.migrations.0003_seed_crisis_list").seed(apps, None)


@pytest.fixture(autouse=True)
def _discreet_emails(request, _baseline):
    """Every email a test sends is read when it ends (tests/email_guard.py): no host name, email address, member's
    name, programme group or member-written text in its words. Any test that sends one fails otherwise.

    Depends on _baseline so that it ends before the test's database does; names and texts are read only where the
    test had the database (a test without one can still leak a host name).
    """
    yield
    sent = list(getattr(mail, "outbox", None) or [])
    if not sent:
        return
    words = email_guard.database_words() if _uses_db(request) else None
    found = email_guard.outbox_problems(sent, words)
    if found:
        pytest.fail("An email is not discreet:\n" + "\n".join(found), pytrace=False)


def _uses_db(request) -> bool:
    return bool(request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames))


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return "transactional_db" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture
def member(db):
    return UserFactory(display_name="Sam", programme_groups=[])


@pytest.fixture
def member2(db):
    return UserFactory(display_name="Jordan")


@pytest.fixture
def teen_member(db):
    from tests.factories import programme_group

    return UserFactory(
        display_name="Riley", year_of_birth=teen_year(), programme_groups=[programme_group("teen-group")]
    )


@pytest.fixture
def moderator(db):
    user = UserFactory(display_name="Alex mod", roles=[Role.MEMBER, Role.MODERATOR])
    enable_totp(user)
    return user


@pytest.fixture
def staff(db):
    user = UserFactory(display_name="Dana team", roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF], teen_cleared=True)
    enable_totp(user)
    return user


@pytest.fixture
def applicant(db):
    return UserFactory(display_name="Newcomer", approved_at=None, email_verified=False)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member_client(member):
    return _client_for(member)


@pytest.fixture
def member2_client(member2):
    return _client_for(member2)


@pytest.fixture
def teen_client(teen_member):
    return _client_for(teen_member)


@pytest.fixture
def moderator_client(moderator):
    return _client_for(moderator)


@pytest.fixture
def staff_client(staff):
    return _client_for(staff)


@pytest.fixture
def applicant_client(applicant):
    return _client_for(applicant)


@pytest.fixture
def client_for():
    """Sign any user in: `client_for(user)`."""
    return _client_for
