"""403, 404 and 500 wear the site's layout (or, for 500, stand alone) with a plain sentence, a way back and help."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path

from community import urls as site_urls


def _deny(request):
    raise PermissionDenied


def _fail(request):
    raise RuntimeError("boom")


# Under /help/, a public prefix, so that a visitor reaches them past the members-only gate.
urlpatterns = [path("help/test-403/", _deny), path("help/test-500/", _fail), *site_urls.urlpatterns]


def _assert_site_page(page: str, heading: str, way_back: str) -> None:
    assert heading in page
    assert way_back in page
    assert 'href="/help/"' in page
    assert "988" in page  # the crisis line, even on an error page


@override_settings(ROOT_URLCONF=__name__)
def test_member_sees_the_site_403_page(member_client):
    response = member_client.get("/help/test-403/")
    assert response.status_code == 403
    page = response.content.decode()
    _assert_site_page(page, "This page is not open to your account", "Back to home")
    assert "Signed in as" in page  # the site's header, not Django's bare page


def test_member_sees_the_site_404_page(member_client):
    response = member_client.get("/forum/no-such-category/")
    assert response.status_code == 404
    page = response.content.decode()
    _assert_site_page(page, "We couldn't find that page", "Back to home")
    assert "Signed in as" in page


def test_a_space_outside_the_members_audience_is_the_same_404(member_client, db):
    from members.audience import Audience
    from tests.forum.factories import make_category

    hidden = make_category(name="Teen lounge", audience=Audience.TEENS)
    response = member_client.get(hidden.get_absolute_url())
    assert response.status_code == 404
    assert "Teen lounge" not in response.content.decode()


def test_visitor_sees_the_site_404_page_with_a_way_to_sign_in(client, db):
    response = client.get("/help/no-such-page/")
    assert response.status_code == 404
    _assert_site_page(response.content.decode(), "We couldn't find that page", "Go to sign in")


@override_settings(ROOT_URLCONF=__name__)
def test_visitor_sees_the_site_403_page(client, db):
    response = client.get("/help/test-403/")
    assert response.status_code == 403
    _assert_site_page(response.content.decode(), "This page is not open to your account", "Go to sign in")


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("who", ["member", "visitor"])
def test_500_page_stands_alone_with_help(who, member, db):
    client = Client(raise_request_exception=False)
    if who == "member":
        client.force_login(member)
    response = client.get("/help/test-500/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert 'href="/"' in page and 'href="/help/"' in page
    assert "988" in page


def test_development_404_does_not_list_the_sites_addresses(settings, member_client):
    """With DEBUG on, Django's own 404 lists every URL pattern; the development catch-all shows the site's page."""
    import importlib

    from django.urls import clear_url_caches

    settings.DEBUG = True
    try:
        dev_urls = importlib.reload(site_urls)
        settings.ROOT_URLCONF = dev_urls.__name__
        clear_url_caches()
        response = member_client.get("/no/such/address/")
        assert response.status_code == 404
        page = response.content.decode()
        assert "We couldn't find that page" in page
        assert "URLconf" not in page and "django-admin/" not in page
        # A missing slash is still added, as in production.
        assert member_client.get("/forum").headers["Location"] == "/forum/"
    finally:
        settings.DEBUG = False
        importlib.reload(site_urls)
        clear_url_caches()
