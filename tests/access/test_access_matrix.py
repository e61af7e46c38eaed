import importlib
import pkgutil
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from members.models import Role
from tests.factories import UserFactory, enable_totp, programme_group, teen_year

from . import matrix
from .matrix import LOGIN, REDIRECT, STATUS

# Third-party URL namespaces covered by a representative case each (their own tests cover the rest).
THIRD_PARTY_PREFIXES = ("accounts/", "cms/", "django-admin/", "resources/")


@dataclass
class World:
    visitor: None
    applicant: object
    member: object
    teen: object
    moderator: object
    staff: object


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), namespace + p.name


def our_named_routes() -> set[str]:
    return {name for route, name in _walk(get_resolver().url_patterns) if not route.startswith(THIRD_PARTY_PREFIXES)}


def all_cases(world) -> list[matrix.Case]:
    import tests.access as pkg

    found = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("routes_"):
            found.extend(importlib.import_module(f"tests.access.{info.name}").cases(world))
    return found


def _outcome(response):
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return LOGIN
        if location.startswith("/welcome/"):
            return STATUS
        return REDIRECT
    return response.status_code


@pytest.fixture
def world(db):
    staff = UserFactory(display_name="Matrix staff", roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF], teen_cleared=True)
    moderator = UserFactory(display_name="Matrix mod", roles=[Role.MEMBER, Role.MODERATOR])
    enable_totp(staff)
    enable_totp(moderator)
    return World(
        visitor=None,
        applicant=UserFactory(display_name="Matrix applicant", approved_at=None, email_verified=False),
        member=UserFactory(display_name="Matrix member"),
        teen=UserFactory(
            display_name="Matrix teen", year_of_birth=teen_year(), programme_groups=[programme_group("teen-group")]
        ),
        moderator=moderator,
        staff=staff,
    )


def test_every_route_has_an_entry(world):
    covered = {case.name for case in all_cases(world)}
    missing = our_named_routes() - covered
    assert not missing, f"Routes without an access-matrix entry: {sorted(missing)}"


def test_every_case_covers_every_role(world):
    for case in all_cases(world):
        assert set(case.expect) == set(matrix.ROLES), f"{case.name} lacks roles {set(matrix.ROLES) - set(case.expect)}"


def test_access_matrix(world):
    failures = []
    cases = all_cases(world)
    for role in matrix.ROLES:
        client = Client()
        user = getattr(world, role)
        if user is not None:
            client.force_login(user)
        for case in cases:
            response = getattr(client, case.method)(case.url, case.data)
            got = _outcome(response)
            if got != case.expect[role]:
                failures.append(
                    f"{role:<9} {case.method.upper()} {case.url} ({case.name}): expected {case.expect[role]}, got {got}"
                )
    assert not failures, "\n".join(failures)
