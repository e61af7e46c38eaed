"""Exactly one way to sign in: allauth's form, with its rate limits and its MFA stage (issue 7, item 1).

Wagtail and the Django admin bring their own login, password and page-password views. Each of them would be
a second door that skips the authenticator code and the failed-login limit, so every one is sent to allauth.
"""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from members.models import Role
from tests.factories import UserFactory, enable_totp, teen_year

PASSWORD = "correct-horse-battery"  # what UserFactory sets

# Wagtail's and Django's own doors, and where each must now send people.
SIDE_DOORS = [
    "/resources/_util/login/",
    "/cms/login/",
    "/django-admin/login/",
    "/cms/password_reset/",
    "/django-admin/password_change/",
]


def _signed_in_as(client) -> str | None:
    return client.session.get(SESSION_KEY)


@pytest.fixture
def victim(db):
    """A teen member whose email and password the attacker knows (the review's example)."""
    return UserFactory(display_name="Victim teen", year_of_birth=teen_year())


@pytest.fixture
def site_admin(db):
    user = UserFactory(display_name="Site admin", roles=[Role.MEMBER], is_superuser=True, is_staff=True)
    enable_totp(user)
    return user


@pytest.fixture
def staff_with_totp(db):
    user = UserFactory(display_name="Totp staff", roles=[Role.MEMBER, Role.MODERATOR, Role.STAFF])
    enable_totp(user)
    return user


def test_the_page_privacy_login_does_not_sign_a_member_in_as_someone_else(member_client, victim):
    response = member_client.post(
        "/resources/_util/login/?next=/resources/", {"username": victim.email, "password": PASSWORD}
    )
    assert _signed_in_as(member_client) != str(victim.pk)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_wagtail_admin_login_does_not_skip_the_authenticator_code(staff_with_totp):
    visitor = Client()
    response = visitor.post("/cms/login/", {"username": staff_with_totp.email, "password": PASSWORD})
    assert _signed_in_as(visitor) is None
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", SIDE_DOORS)
def test_side_doors_send_everyone_to_the_one_sign_in_and_keep_next(path, client, member_client, site_admin):
    admin_client = Client()
    admin_client.force_login(site_admin)
    for c in (client, member_client, admin_client):
        response = c.get(path + "?next=/resources/")
        assert response.status_code == 302, (path, response.status_code)
        location = response["Location"]
        assert location.startswith(("/accounts/login/", "/accounts/password/")), (path, location)
    # Where a sign-in is offered, the page the person wanted is kept.
    response = client.get("/resources/_util/login/?next=/resources/")
    assert "next=/resources/" in response["Location"].replace("%2F", "/")


def test_wagtail_points_its_own_redirects_at_allauth(settings):
    assert settings.WAGTAILADMIN_LOGIN_URL == "/accounts/login/"
    assert settings.WAGTAIL_FRONTEND_LOGIN_URL == "/accounts/login/"
    assert settings.WAGTAIL_PASSWORD_MANAGEMENT_ENABLED is False
    assert settings.WAGTAIL_PASSWORD_RESET_ENABLED is False
    assert settings.WAGTAILUSERS_PASSWORD_ENABLED is False
    # A shared page password is a second secret outside allauth: not offered.
    assert settings.WAGTAIL_PRIVATE_PAGE_OPTIONS == {"SHARED_PASSWORD": False}


# --- the whole class: walk every URL pattern -----------------------------------------------------------


def _walk(patterns, pk: str, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, pk, prefix + _sample(p.pattern, pk))
        elif isinstance(p, URLPattern):
            yield prefix + _sample(p.pattern, pk), p


def _sample(pattern, pk: str) -> str:
    """A concrete path piece for a route or a regex, with `pk` for every id and "x" for other parameters."""
    text = str(pattern).lstrip("^").rstrip("$")
    if isinstance(pattern, RoutePattern):
        text = re.sub(r"<(?:int:)?(\w*pk|\w*id)>", pk, text)
        return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: pk if m.group(1) in (None, "int", "str") else "x", text)

    def named(m):
        inner = m.group(1)
        first = inner.split("|")[0]
        if "|" in inner and first.isalpha():
            return first
        return pk if "\\d" in inner else "x"

    text = re.sub(r"\(\?P<\w+>((?:[^()]|\([^()]*\))*)\)", named, text)
    text = re.sub(r"\((?:[^()]|\([^()]*\))*\)[*?]?", "", text)  # unnamed (repeated) groups: left out
    return text.replace(".*", "x").replace("\\", "")


def _is_allauth(pattern: URLPattern) -> bool:
    return pattern.callback.__module__.startswith("allauth.")


def _all_routes(pk: str = "1"):
    seen = set()
    for path, pattern in _walk(get_resolver().url_patterns, pk):
        url = "/" + path
        if url in seen:
            continue
        seen.add(url)
        yield url, pattern


def test_the_walk_covers_the_known_doors():
    urls = {url for url, _ in _all_routes()}
    for door in SIDE_DOORS + [
        "/resources/_util/authenticate_with_password/1/1/",
        "/documents/authenticate_with_password/1/",
        "/accounts/login/",
    ]:
        assert door in urls, door


def test_no_route_but_allauths_signs_anyone_in(victim, member, site_admin):
    """Post the victim's right password, under every field name the framework forms use, to every route.

    Posted by a visitor, by a signed-in member and by a site administrator with MFA (who reaches /cms/ and
    /django-admin/): after each post, the session must not belong to the victim.
    """
    credentials = {
        "username": victim.email,
        "email": victim.email,
        "login": victim.email,
        "password": PASSWORD,
        "auth-username": victim.email,
        "auth-password": PASSWORD,
    }
    failures = []
    routes = [(url, p) for url, p in _all_routes() if not _is_allauth(p)]
    assert len(routes) > 100  # the walk really descended into Wagtail's and the admin's includes
    for attacker in (None, member, site_admin):
        for url, _pattern in routes:
            c = Client(raise_request_exception=False)  # /cms/failwhale/ fails on purpose
            if attacker is not None:
                c.force_login(attacker)
            c.post(url, credentials)
            if _signed_in_as(c) == str(victim.pk):
                failures.append(url)
    assert not failures, f"These addresses sign people in outside allauth: {failures}"


def test_only_allauth_pages_show_a_password_field(site_admin, member):
    """Classify every route by what it renders: a password box outside allauth would be a second door.

    The Django admin's own user pages (superuser-only, behind MFA) set another person's password; they do not
    sign anyone in, and the test above proves it.
    """
    allowed_outside_allauth = {"/django-admin/members/user/add/", f"/django-admin/members/user/{member.pk}/password/"}
    found = []
    for who in (None, member, site_admin):
        c = Client(raise_request_exception=False)
        if who is not None:
            c.force_login(who)
        # Ids are the member's, so that user pages (Wagtail's user editor, the admin's) render a real form.
        for url, pattern in _all_routes(str(member.pk)):
            if _is_allauth(pattern) or url in allowed_outside_allauth:
                continue
            response = c.get(url)
            # A streamed download (the audit log's CSV) has no .content; its body is read the streaming way.
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if response.status_code == 200 and 'type="password"' in body.decode(errors="replace"):
                found.append(url)
    assert not found, f"Password fields outside allauth: {sorted(set(found))}"
